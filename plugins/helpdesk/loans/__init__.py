"""Equipment loans (แบบบันทึกขอยืมวัสดุอุปกรณ์): borrow, approve, hand out, return, remind."""
