-- Paid orders, one row each: Outflow sends each to Braze once, as an event.
select
    'order-' || id as order_id,
    'user-' || customer_id as user_id,
    amount_cents / 100.0 as amount,
    ordered_at
from {{ ref('raw_orders') }}
where status = 'paid'
