"""newsdesk ingest: files -> Article records -> chunks with offsets -> embeddings -> Chroma + catalog."""
