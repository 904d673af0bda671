"""The books' invariants held by PostgreSQL itself, so that raw SQL cannot break them (as django-hordak
does): a posted voucher balances and has lines (checked at commit, by deferred constraint triggers);
a posted voucher's lines are never inserted, updated or deleted; a posted voucher is never deleted,
nor its books, date, year, number, summary, status, reversal or key changed. SQLite has no such triggers here:
`manage.py verify_ledger` checks both databases."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger AS $$
DECLARE
    vid bigint;
    vstatus text;
    d bigint;
    c bigint;
    n bigint;
BEGIN
    IF TG_TABLE_NAME = 'ledger_voucher' THEN
        vid := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        vid := OLD.voucher_id;
    ELSE
        vid := NEW.voucher_id;
    END IF;
    SELECT status INTO vstatus FROM ledger_voucher WHERE id = vid;
    IF vstatus IS DISTINCT FROM 'posted' THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(debit_fen), 0), COALESCE(SUM(credit_fen), 0), COUNT(*) INTO d, c, n
        FROM ledger_voucherline WHERE voucher_id = vid;
    IF n = 0 OR d <> c THEN
        RAISE EXCEPTION 'ledger: posted voucher % does not balance (debit %, credit %, % lines)', vid, d, c, n
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER ledger_voucher_balanced
    AFTER INSERT OR UPDATE ON ledger_voucher DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();
CREATE CONSTRAINT TRIGGER ledger_line_balanced
    AFTER INSERT OR UPDATE OR DELETE ON ledger_voucherline DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

CREATE OR REPLACE FUNCTION ledger_protect_posted_line() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM ledger_voucher WHERE id = OLD.voucher_id AND status = 'posted'
    ) THEN
        RAISE EXCEPTION 'ledger: a line of posted voucher % cannot be changed', OLD.voucher_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM ledger_voucher WHERE id = NEW.voucher_id AND status = 'posted'
    ) THEN
        RAISE EXCEPTION 'ledger: no line may be added to posted voucher %', NEW.voucher_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_line_locked
    BEFORE INSERT OR UPDATE OR DELETE ON ledger_voucherline
    FOR EACH ROW EXECUTE FUNCTION ledger_protect_posted_line();

CREATE OR REPLACE FUNCTION ledger_protect_posted_voucher() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'posted' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'ledger: posted voucher % cannot be deleted', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF (NEW.status, NEW.books_id, NEW.date, NEW.year, NEW.number, NEW.summary, NEW.reverses_id, NEW.idempotency_key)
            IS DISTINCT FROM
           (OLD.status, OLD.books_id, OLD.date, OLD.year, OLD.number, OLD.summary, OLD.reverses_id, OLD.idempotency_key) THEN
            RAISE EXCEPTION 'ledger: posted voucher % cannot be changed', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_voucher_locked
    BEFORE UPDATE OR DELETE ON ledger_voucher
    FOR EACH ROW EXECUTE FUNCTION ledger_protect_posted_voucher();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS ledger_voucher_locked ON ledger_voucher;
DROP TRIGGER IF EXISTS ledger_line_locked ON ledger_voucherline;
DROP TRIGGER IF EXISTS ledger_line_balanced ON ledger_voucherline;
DROP TRIGGER IF EXISTS ledger_voucher_balanced ON ledger_voucher;
DROP FUNCTION IF EXISTS ledger_protect_posted_voucher();
DROP FUNCTION IF EXISTS ledger_protect_posted_line();
DROP FUNCTION IF EXISTS ledger_check_balanced();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
