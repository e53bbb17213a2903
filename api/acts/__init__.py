"""The use cases: one function per thing a person does, called by every door (API, pages, imports, CLI)."""
