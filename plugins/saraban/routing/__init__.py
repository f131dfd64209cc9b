"""Receiving and routing letters (การส่งต่อหนังสือ) and proposing them to superiors (เกษียนหนังสือ)."""
