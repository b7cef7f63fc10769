-- doctor never changes anything: its transaction is read-only.
SELECT set_config('transaction_read_only', 'on', true)
