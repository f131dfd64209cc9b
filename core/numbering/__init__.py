"""Numbers issued in series (เลขทะเบียน, ticket numbers): consecutive, never twice, never skipped."""
