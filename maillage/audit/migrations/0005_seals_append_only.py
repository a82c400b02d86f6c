"""On PostgreSQL, seals are append-only like the events they chain (see 0002)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_seal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditseal is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_seal_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_seal_no_update_delete ON audit_auditseal;
DROP FUNCTION IF EXISTS audit_seal_append_only();
"""


# params=None: the PL/pgSQL body holds a literal `%` (see 0002).
def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]

    operations = [migrations.RunPython(forward, backward)]
