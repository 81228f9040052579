"""The seeds' stack, as the benchmark's peer (docs/benchmarks.md): what this product is compared with.

FastAPI 0.92 + SQLAlchemy 1.4 + psycopg2, served by gunicorn with 2 uvicorn workers, from Debian's packages
(apt-get install python3-fastapi python3-uvicorn python3-sqlalchemy python3-psycopg2 gunicorn). Like the seeds it
checks no token and logs in as a role row-level security does not hold; it answers GET /invoices/{id} with
`select * from invoices where id = :id`. PEER_DATABASE_URL says where (a SQLAlchemy URL).
"""
import os

from fastapi import FastAPI, HTTPException
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["PEER_DATABASE_URL"], pool_size=8, max_overflow=8, pool_pre_ping=False)
app = FastAPI()
select_invoice = text("select * from invoices where id = :id")


@app.get("/invoices/{invoice_id}")
def get_invoice(invoice_id: str):
    with engine.connect() as connection:
        row = connection.execute(select_invoice, {"id": invoice_id}).mappings().first()
    if row is None:
        raise HTTPException(status_code=404, detail="Invoice not found")
    return dict(row)
