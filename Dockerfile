FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 MEMI_ENV=production
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY memi ./memi
RUN pybabel compile --statistics -d memi/translations -D messages
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
COPY wsgi.py gunicorn.conf.py ./

RUN useradd --create-home --uid 10001 memi && mkdir -p /app/instance /app/media && chown -R memi /app/instance /app/media
USER memi

EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD python -c "import os,urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '5000'), timeout=2).status == 200 else 1)"

CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
