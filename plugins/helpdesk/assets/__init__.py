"""The asset register (ทะเบียนครุภัณฑ์): assets, their repair history, import from CSV or Excel."""
