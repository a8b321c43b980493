"""`python -m assistant.llm`: serve a GGUF with the embedded llama.cpp (see assistant/llm/local.py)."""

from assistant.llm.local import main

raise SystemExit(main())
