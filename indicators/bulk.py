"""Writing many saved rows at once, on SQLite and PostgreSQL alike."""

from django.db import connection

BATCH = 200


def update_columns(model, records, columns):
    """Write `columns` of saved `records`, a few hundred rows per UPDATE ... FROM (VALUES ...).

    QuerySet.bulk_update builds a CASE branch per row and column: for thousands of rows that takes Django
    longer than the database takes to write them.
    """
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    cast = connection.vendor == "postgresql"  # it types VALUES by their first row, and NULL has no type
    pk = model._meta.pk
    row = ", ".join(f"CAST(%s AS {field.db_type(connection)})" if cast else "%s" for field in [pk, *fields])
    assignments = ", ".join(
        f"{quote(field.column)} = incoming.column{index}" for index, field in enumerate(fields, start=2)
    )
    for start in range(0, len(records), BATCH):
        chunk = records[start : start + BATCH]
        params = []
        for record in chunk:
            params.append(pk.get_db_prep_save(record.pk, connection))
            params.extend(
                field.get_db_prep_save(getattr(record, field.attname), connection) for field in fields
            )
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"FROM (VALUES {', '.join([f'({row})'] * len(chunk))}) AS incoming "
            f"WHERE {quote(model._meta.db_table)}.{quote(pk.column)} = incoming.column1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
