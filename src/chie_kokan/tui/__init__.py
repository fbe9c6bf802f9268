"""The Textual view: a thin layer over the engine (``chie_kokan.engine``)."""
