"""The faces other assistants use: an MCP server and an OpenAI-compatible endpoint, and `serve`.

archive.py        what every remote face can do with the archive, checked the same way (the core's calls)
mcp_server.py     the MCP tools (search_archive, ask, brief, get_article, archive_stats)
openai_request.py a /v1/chat/completions body -> question, history, filters (or an OpenAI-shaped error)
openai_api.py     /v1/models and /v1/chat/completions, streamed (SSE) and not
serve.py          one ASGI app (chat UI + /v1 + /mcp) behind the bearer key, and the uvicorn that runs it

Like cli/ and ui/, nothing in the core imports these (tests/test_architecture.py); they import the
core and, for `serve`, the UI.  docs/clients.md shows how Claude Desktop, Open WebUI, the openai
SDK and curl connect.
"""
