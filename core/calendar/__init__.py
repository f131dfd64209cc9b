"""The working calendar: office hours, weekends and public holidays, and working time."""
