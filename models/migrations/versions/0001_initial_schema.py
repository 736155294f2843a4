"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 09:20:47.339537
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import models.base

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('object_key', sa.String(length=200), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('envelope', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('failed_stage', sa.String(length=30), nullable=True),
    sa.Column('failure_code', sa.String(length=60), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('page_from', sa.Integer(), nullable=True),
    sa.Column('page_to', sa.Integer(), nullable=True),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('doc_type', sa.String(length=20), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('site', sa.String(length=60), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('vendor_name', sa.String(length=255), nullable=True),
    sa.Column('invoice_number', sa.String(length=100), nullable=True),
    sa.Column('invoice_date', sa.String(length=10), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('total_amount', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['documents.id'], name=op.f('fk_documents_parent_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_invoice_number'), ['invoice_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=True)
        batch_op.create_index(batch_op.f('ix_documents_site'), ['site'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('erp_companies',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('vat', sa.String(length=40), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_companies'))
    )
    op.create_table('erp_products',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('default_code', sa.String(length=60), nullable=True),
    sa.Column('barcode', sa.String(length=60), nullable=True),
    sa.Column('uom_id', sa.Integer(), nullable=True),
    sa.Column('purchase_method', sa.String(length=20), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_products'))
    )
    with op.batch_alter_table('erp_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_products_default_code'), ['default_code'], unique=False)

    op.create_table('erp_purchase_order_lines',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('product_qty', models.base.Money(precision=20, scale=6), nullable=False),
    sa.Column('qty_received', models.base.Money(precision=20, scale=6), nullable=False),
    sa.Column('qty_invoiced', models.base.Money(precision=20, scale=6), nullable=False),
    sa.Column('price_unit', models.base.Money(precision=20, scale=6), nullable=False),
    sa.Column('price_subtotal', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('tax_ids', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('uom_id', sa.Integer(), nullable=True),
    sa.Column('display_type', sa.String(length=20), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_purchase_order_lines'))
    )
    with op.batch_alter_table('erp_purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_purchase_order_lines_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_purchase_order_lines_product_id'), ['product_id'], unique=False)

    op.create_table('erp_purchase_orders',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('partner_ref', sa.String(length=120), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('date_order', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('amount_untaxed', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('amount_tax', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('amount_total', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('invoice_status', sa.String(length=20), nullable=True),
    sa.Column('receipt_status', sa.String(length=20), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_purchase_orders'))
    )
    with op.batch_alter_table('erp_purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_purchase_orders_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_purchase_orders_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_purchase_orders_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('erp_receipt_lines',
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('po_line_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('quantity', models.base.Money(precision=20, scale=6), nullable=False),
    sa.Column('uom_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_receipt_lines'))
    )
    with op.batch_alter_table('erp_receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_receipt_lines_po_line_id'), ['po_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_receipt_lines_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('erp_receipts',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=120), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('date_done', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('backorder_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_receipts'))
    )
    with op.batch_alter_table('erp_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_receipts_order_id'), ['order_id'], unique=False)

    op.create_table('erp_sites',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_sites'))
    )
    with op.batch_alter_table('erp_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_sites_company_id'), ['company_id'], unique=False)

    op.create_table('erp_supplier_info',
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('product_code', sa.String(length=60), nullable=True),
    sa.Column('product_name', sa.String(length=255), nullable=True),
    sa.Column('price', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_supplier_info'))
    )
    with op.batch_alter_table('erp_supplier_info', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_supplier_info_product_code'), ['product_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_supplier_info_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_supplier_info_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('erp_sync_watermarks',
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('last_write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_full_sync', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('model', name=op.f('pk_erp_sync_watermarks'))
    )
    op.create_table('erp_taxes',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('amount', models.base.Money(precision=20, scale=6), nullable=False),
    sa.Column('amount_type', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_taxes'))
    )
    op.create_table('erp_uoms',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('factor', models.base.Money(precision=20, scale=6), nullable=False),
    sa.Column('uom_type', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_uoms'))
    )
    op.create_table('erp_vendor_bank_accounts',
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('acc_number', sa.String(length=60), nullable=False),
    sa.Column('sanitized', sa.String(length=60), nullable=False),
    sa.Column('bic', sa.String(length=11), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_vendor_bank_accounts'))
    )
    with op.batch_alter_table('erp_vendor_bank_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_vendor_bank_accounts_sanitized'), ['sanitized'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_vendor_bank_accounts_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('erp_vendor_bills',
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('move_type', sa.String(length=20), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=120), nullable=True),
    sa.Column('ref_normalised', sa.String(length=120), nullable=True),
    sa.Column('invoice_date', sa.String(length=10), nullable=True),
    sa.Column('amount_total', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('invoice_origin', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_vendor_bills'))
    )
    with op.batch_alter_table('erp_vendor_bills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_vendor_bills_ref'), ['ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_vendor_bills_ref_normalised'), ['ref_normalised'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_vendor_bills_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('erp_vendor_email_domains',
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('vendor_id', 'domain', name=op.f('pk_erp_vendor_email_domains'))
    )
    with op.batch_alter_table('erp_vendor_email_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_vendor_email_domains_domain'), ['domain'], unique=False)

    op.create_table('erp_vendors',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('vat', sa.String(length=40), nullable=True),
    sa.Column('vat_normalised', sa.String(length=40), nullable=True),
    sa.Column('ref', sa.String(length=60), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('street', sa.String(length=255), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('zip', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=60), nullable=True),
    sa.Column('invoice_limit', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('write_date', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_vendors'))
    )
    with op.batch_alter_table('erp_vendors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erp_vendors_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_vendors_vat'), ['vat'], unique=False)
        batch_op.create_index(batch_op.f('ix_erp_vendors_vat_normalised'), ['vat_normalised'], unique=False)

    op.create_table('saved_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('query', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_views'))
    )
    with op.batch_alter_table('saved_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_views_user_id'), ['user_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('approval_limit', models.base.Money(precision=20, scale=6), nullable=True),
    sa.Column('totp_secret', sa.String(length=300), nullable=True),
    sa.Column('mfa_enabled', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sites', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('role_changed_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=True),
    sa.Column('to_state', sa.String(length=30), nullable=True),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_log_hash'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)

    op.create_table('extractions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('engine', sa.String(length=60), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_extractions_created_by_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_extractions_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extractions')),
    sa.UniqueConstraint('document_id', 'version', name=op.f('uq_extractions_document_id_version'))
    )
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extractions_document_id'), ['document_id'], unique=False)

    op.create_table('match_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('run', sa.Integer(), nullable=False),
    sa.Column('extraction_version', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('required_role', sa.String(length=20), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_match_results_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_results')),
    sa.UniqueConstraint('document_id', 'run', name=op.f('uq_match_results_document_id_run'))
    )
    with op.batch_alter_table('match_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_results_document_id'), ['document_id'], unique=False)

    op.create_table('pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('width', sa.Double(), nullable=False),
    sa.Column('height', sa.Double(), nullable=False),
    sa.Column('text_source', sa.String(length=20), nullable=False),
    sa.Column('rotation', sa.Integer(), nullable=False),
    sa.Column('words', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('image_key', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_pages_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pages')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_pages_document_id_number'))
    )
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pages_document_id'), ['document_id'], unique=False)

    op.create_table('postings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('posting_key', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('odoo_move_id', sa.Integer(), nullable=True),
    sa.Column('odoo_move_name', sa.String(length=80), nullable=True),
    sa.Column('odoo_attachment_id', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('posted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_postings_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postings')),
    sa.UniqueConstraint('document_id', name=op.f('uq_postings_document_id')),
    sa.UniqueConstraint('posting_key', name=op.f('uq_postings_posting_key'))
    )
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postings_status'), ['status'], unique=False)

    op.create_table('review_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('queue', sa.String(length=20), nullable=False),
    sa.Column('required_role', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('info_requested', sa.Text(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_review_tasks_assignee_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_review_tasks_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_tasks'))
    )
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_tasks_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_tasks_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_tasks_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_tasks_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_tasks_status'), ['status'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('source_ref', sa.String(length=500), nullable=True),
    sa.Column('envelope', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_submissions_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_source_ref'), ['source_ref'], unique=False)

    op.create_table('holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('match_result_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('line_ref', sa.String(length=60), nullable=True),
    sa.Column('measured', sa.String(length=60), nullable=True),
    sa.Column('limit', sa.String(length=60), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('release_role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('released_by', sa.Integer(), nullable=True),
    sa.Column('released_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('release_reason', sa.Text(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_holds_document_id_documents')),
    sa.ForeignKeyConstraint(['match_result_id'], ['match_results.id'], name=op.f('fk_holds_match_result_id_match_results')),
    sa.ForeignKeyConstraint(['released_by'], ['users.id'], name=op.f('fk_holds_released_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holds'))
    )
    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holds_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_holds_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holds_match_result_id'), ['match_result_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holds_status'), ['status'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holds_status'))
        batch_op.drop_index(batch_op.f('ix_holds_match_result_id'))
        batch_op.drop_index(batch_op.f('ix_holds_document_id'))
        batch_op.drop_index(batch_op.f('ix_holds_code'))

    op.drop_table('holds')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_source_ref'))
        batch_op.drop_index(batch_op.f('ix_submissions_sha256'))
        batch_op.drop_index(batch_op.f('ix_submissions_document_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_tasks_status'))
        batch_op.drop_index(batch_op.f('ix_review_tasks_due_at'))
        batch_op.drop_index(batch_op.f('ix_review_tasks_document_id'))
        batch_op.drop_index(batch_op.f('ix_review_tasks_created_at'))
        batch_op.drop_index(batch_op.f('ix_review_tasks_assignee_id'))

    op.drop_table('review_tasks')
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postings_status'))

    op.drop_table('postings')
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pages_document_id'))

    op.drop_table('pages')
    with op.batch_alter_table('match_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_results_document_id'))

    op.drop_table('match_results')
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extractions_document_id'))

    op.drop_table('extractions')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_document_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('users')
    with op.batch_alter_table('saved_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_views_user_id'))

    op.drop_table('saved_views')
    with op.batch_alter_table('erp_vendors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_vendors_vat_normalised'))
        batch_op.drop_index(batch_op.f('ix_erp_vendors_vat'))
        batch_op.drop_index(batch_op.f('ix_erp_vendors_name'))

    op.drop_table('erp_vendors')
    with op.batch_alter_table('erp_vendor_email_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_vendor_email_domains_domain'))

    op.drop_table('erp_vendor_email_domains')
    with op.batch_alter_table('erp_vendor_bills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_vendor_bills_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_erp_vendor_bills_ref_normalised'))
        batch_op.drop_index(batch_op.f('ix_erp_vendor_bills_ref'))

    op.drop_table('erp_vendor_bills')
    with op.batch_alter_table('erp_vendor_bank_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_vendor_bank_accounts_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_erp_vendor_bank_accounts_sanitized'))

    op.drop_table('erp_vendor_bank_accounts')
    op.drop_table('erp_uoms')
    op.drop_table('erp_taxes')
    op.drop_table('erp_sync_watermarks')
    with op.batch_alter_table('erp_supplier_info', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_supplier_info_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_erp_supplier_info_product_id'))
        batch_op.drop_index(batch_op.f('ix_erp_supplier_info_product_code'))

    op.drop_table('erp_supplier_info')
    with op.batch_alter_table('erp_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_sites_company_id'))

    op.drop_table('erp_sites')
    with op.batch_alter_table('erp_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_receipts_order_id'))

    op.drop_table('erp_receipts')
    with op.batch_alter_table('erp_receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_receipt_lines_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_erp_receipt_lines_po_line_id'))

    op.drop_table('erp_receipt_lines')
    with op.batch_alter_table('erp_purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_purchase_orders_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_erp_purchase_orders_state'))
        batch_op.drop_index(batch_op.f('ix_erp_purchase_orders_name'))

    op.drop_table('erp_purchase_orders')
    with op.batch_alter_table('erp_purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_purchase_order_lines_product_id'))
        batch_op.drop_index(batch_op.f('ix_erp_purchase_order_lines_order_id'))

    op.drop_table('erp_purchase_order_lines')
    with op.batch_alter_table('erp_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erp_products_default_code'))

    op.drop_table('erp_products')
    op.drop_table('erp_companies')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_documents_state'))
        batch_op.drop_index(batch_op.f('ix_documents_site'))
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_documents_received_at'))
        batch_op.drop_index(batch_op.f('ix_documents_parent_id'))
        batch_op.drop_index(batch_op.f('ix_documents_invoice_number'))
        batch_op.drop_index(batch_op.f('ix_documents_company_id'))

    op.drop_table('documents')

