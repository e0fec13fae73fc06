"""Read models: the plain, frozen data classes services return and reports render.

Pure Python (no Qt, no SQL), so every layer may import them: a report renders a
view without knowing where it came from, and a page shows one without a session.
One module per feature, named as the feature is everywhere else.
"""
