"""`python -m inference_engine.benchmark`: time to first token, latency and tokens/s of each engine.

Measures one engine after another on the same prompts: single requests, batches
(`batch_generate`) and concurrent streams (`stream`), all with a fixed output length
(`ignore_eos`) so that every engine does the same work; writes JSON, a Markdown table and a chart.
"""
