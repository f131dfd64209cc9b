"""Approval chains (แฟ้มเสนอ): chains as data, the engine, the inbox, delegation, signatures."""
