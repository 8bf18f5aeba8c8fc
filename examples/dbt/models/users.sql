-- One row per customer, with what they have spent: Outflow keeps Loops contacts and Braze users in step with it.
select
    'user-' || c.id as user_id,
    c.email,
    c.first_name,
    c.last_name,
    c.plan,
    c.signed_up_at,
    coalesce(sum(o.amount), 0) as lifetime_value,
    count(o.order_id) as orders
from {{ ref('raw_customers') }} as c
left join {{ ref('orders') }} as o on o.user_id = 'user-' || c.id
group by all
