-- The questions the tutorial asks of holding_pivot (see holding_pivot.sql), ready to run:
--
--   psql -v user_id=3 -v from=2021-06-26 -v to=2021-06-27 -f sql/questions.sql
--
--   user_id  the bank.holding user the first two questions are about
--   from     start of the period of the third question, inclusive  (UTC, like the table)
--   to       end of the period, exclusive: from=2021-06-26 to=2021-06-27 is the whole 26th
--
--   table    optional: the table to ask, holding_pivot unless given (-v table=holding_pivot_audit
--            asks the same questions of holding_pivot_audit.sql's table, which has the same columns)
--
-- Pass the values bare: the queries quote them (:'from'), so a date or a timestamp such as
-- -v from='2021-06-26 21:53:30' needs no SQL quotes. A zone written in them is ignored, as it is
-- for the table's timestamp columns: give UTC times. Each answer is headed by an \echo line
-- "[name] question".
--
-- Fixes to the tutorial's SQL:
-- * It tests `old_value <> new_value`, which is NULL, not true, when new_value is NULL: a delete
--   was never counted, although the question says "also include delete". Here: IS DISTINCT FROM.
-- * It tells changes from creates by `old_value IS NOT NULL`, which also drops an update from a
--   NULL value; here the op says what a row is (u update, d delete; c and r are not changes).
-- * "Most sold stock" did not filter on change_field = 'holding_stock', so a quantity could win
--   (10 → 100 looks like "10" was sold); it only looked at updates (datetime_updated), while a
--   delete, stamped in datetime_deleted, is the plainest sale; BETWEEN counts a sale at the
--   boundary in both of two adjacent periods (here `to` is exclusive); and LIMIT 1 picked one of
--   several equally sold stocks arbitrarily.
--
-- Needs psql 10 or later (\if, :{?name}).

\set ON_ERROR_STOP on

SELECT :{?user_id} AND :{?from} AND :{?to} AS questions_have_variables \gset
\if :questions_have_variables
\else
    DO $$ BEGIN
        RAISE EXCEPTION 'questions.sql needs -v user_id=… -v from=… -v to=…'
            USING HINT = 'psql -v user_id=3 -v from=2021-06-26 -v to=2021-06-27 -f sql/questions.sql';
    END $$;
\endif
\if :{?table}
\else
    \set table holding_pivot
\endif

-- A user changed a holding's stock type when an update gave it another stock, or a delete took
-- the stock away (old value to NULL); an update that leaves the stock alone is not a change. A
-- delete of a holding whose stock was already NULL changes nothing and is not counted.
\echo '[stock_type_changes] How many times did user' :user_id 'change stock type (deletes included)?'
SELECT count(*) AS stock_type_changes
FROM :"table"
WHERE user_id = :'user_id'
  AND change_field = 'holding_stock'
  AND op IN ('u', 'd')
  AND old_value IS DISTINCT FROM new_value;

-- The tutorial's exercise: the same question about the quantity.
\echo '[quantity_changes] How many times did user' :user_id 'change stock quantity (deletes included)?'
SELECT count(*) AS quantity_changes
FROM :"table"
WHERE user_id = :'user_id'
  AND change_field = 'holding_quantity'
  AND op IN ('u', 'd')
  AND old_value IS DISTINCT FROM new_value;

-- A stock is sold when a holding stops holding it: an update changes the holding's stock type
-- away from it (datetime_updated in the period), or a delete removes the holding (datetime_deleted
-- in the period; the tutorial left deletes out). A smaller quantity of the same stock is not
-- counted as a sale: its row carries no stock name, as in the tutorial. Equally sold stocks are
-- all listed, by name.
\echo '[most_sold_stock] Which stock was sold most often from' :from 'to' :to '(UTC, to exclusive)?'
SELECT stock, times_sold
FROM (
    SELECT old_value AS stock, count(*) AS times_sold
    FROM :"table"
    WHERE change_field = 'holding_stock'
      AND old_value IS NOT NULL
      AND old_value IS DISTINCT FROM new_value
      AND (   (op = 'u' AND datetime_updated >= :'from' AND datetime_updated < :'to')
           OR (op = 'd' AND datetime_deleted >= :'from' AND datetime_deleted < :'to'))
    GROUP BY old_value
    ORDER BY count(*) DESC
    FETCH FIRST 1 ROW WITH TIES
) AS most_sold
ORDER BY stock;
