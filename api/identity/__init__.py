"""Who is calling and what they may do: accounts, sessions, tokens, credentials and the access policy."""
