"""PDF forms with reportlab: fonts, one module per form."""
