"""OCR of page images: OpenCV preprocessing, then tesseract with word boxes and confidences."""
