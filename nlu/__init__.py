"""Text -> intent + slots; FAQ retrieval. Knows nothing about chat channels.

Modules: ``schema`` (the one result schema), ``normalize``, ``numbers``, ``dates``, ``products`` (the
catalogue index), ``items`` (order lines, corrections, negations), ``cues`` + ``classifier`` (the
statistical intent model), ``offline`` (the default parser), ``llm`` (LangChain parser and grounded
FAQ answers), ``faq`` (retrieval), ``kb_import`` (knowledge-base files), ``evaluation`` (scores),
``keyword`` (the first simple parser; its product helpers are still used by forms).
"""
