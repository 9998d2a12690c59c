import SMTPClient
