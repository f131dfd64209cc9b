"""Retention of letters and their destruction (บัญชีหนังสือขอทำลาย)."""
