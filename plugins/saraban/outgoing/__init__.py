"""Drafting letters up the approval chain, numbering them when approved, and sending them to schools."""
