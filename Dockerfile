# One image for every payables role (worker, web, mail poller, watcher); the command picks the role.
FROM python:3.11-slim-bookworm

RUN apt-get update && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa \
        tesseract-ocr-ita tesseract-ocr-nld tesseract-ocr-osd poppler-utils libgl1 libglib2.0-0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY models ./models
COPY ingest ./ingest
COPY extraction ./extraction
COPY matching ./matching
COPY erp ./erp
COPY review_ui ./review_ui
COPY payables ./payables
COPY synth ./synth
RUN pip install --no-cache-dir "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir .

RUN useradd --system --uid 10001 --home /app payables
USER payables
ENV PAYABLES_DATA_DIR=/var/lib/payables OMP_THREAD_LIMIT=1 PYTHONUNBUFFERED=1
ENTRYPOINT ["payables"]
CMD ["--help"]
