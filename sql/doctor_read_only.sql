-- doctor never changes anything: its transaction is read-only. DateStyle ISO, so that the
-- scan's last_login_at arrives in the one form the client reads.
SELECT set_config('transaction_read_only', 'on', true), set_config('datestyle', 'ISO, YMD', true)
