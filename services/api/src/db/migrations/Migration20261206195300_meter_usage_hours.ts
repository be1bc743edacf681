import { Migration } from '@mikro-orm/migrations';

// Hourly usage of the meters that count or sum (COUNT, SUM, SUM_WITH_MULTIPLIER), kept by the database:
// a statement trigger adds each inserted batch of events (COPY included; rows skipped as duplicates
// are not in the batch), a row trigger rebuilds a meter's hours when it is created or its event name,
// aggregation or filters change. The value and filter rules are those of modules/usage/usage-sql.ts
// (property-value.ts): a JSON number or a numeric string, anything else 0; a filter compares the
// property as text ('' unless a string). test/integration/usage/usage-hours.test.ts checks the table against
// the events regrouped, and the answers read through it against the reference aggregator.

export class Migration20261206195300_meter_usage_hours extends Migration {

  override name = 'Migration20261206195300_meter_usage_hours';

  override up(): void | Promise<void> {
    this.addSql(`create table "meter_usage_hours" ("tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "meter_id" varchar(64) not null, "external_customer_id" varchar(255) not null, "hour" timestamptz not null, "event_count" bigint not null, "value_sum" numeric not null, primary key ("meter_id", "external_customer_id", "hour")) with (fillfactor = 80);`);

    this.addSql(`create function meter_usage_value(properties jsonb, field text) returns numeric language sql immutable parallel safe as $$
      select case jsonb_typeof(properties -> field)
        when 'number' then (properties -> field)::numeric
        when 'string' then case when (properties ->> field) ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,4})?$' then (properties ->> field)::numeric else 0 end
        else 0 end $$;`);
    this.addSql(`create function meter_filters_match(properties jsonb, filters jsonb) returns boolean language sql immutable parallel safe as $$
      select not exists (
        select 1 from jsonb_array_elements(filters) f
        where jsonb_typeof(f -> 'values') = 'array' and jsonb_array_length(f -> 'values') > 0
          and (case when jsonb_typeof(properties -> (f ->> 'key')) = 'string' then properties ->> (f ->> 'key') else '' end)
              not in (select jsonb_array_elements_text(f -> 'values'))) $$;`);
    this.addSql(`create function meter_usage_hours_from_events() returns trigger language plpgsql as $$
      begin
        insert into meter_usage_hours as h (tenant_id, environment_id, meter_id, external_customer_id, hour, event_count, value_sum)
        select m.tenant_id, m.environment_id, m.id, e.external_customer_id, date_bin('1 hour', e."timestamp", timestamptz '2000-01-01 00:00:00+00'),
               count(*), coalesce(sum(case when m.aggregation ->> 'type' = 'COUNT' then 0 else meter_usage_value(e.properties, coalesce(m.aggregation ->> 'field', '')) end), 0)
        from inserted_events e
        join meters m on m.tenant_id = e.tenant_id and m.environment_id = e.environment_id and m.event_name = e.event_name
        where m.aggregation ->> 'type' in ('COUNT', 'SUM', 'SUM_WITH_MULTIPLIER') and (m.filters = '[]'::jsonb or meter_filters_match(e.properties, m.filters))
        group by 1, 2, 3, 4, 5
        order by 3, 4, 5
        on conflict (meter_id, external_customer_id, hour)
        do update set event_count = h.event_count + excluded.event_count, value_sum = h.value_sum + excluded.value_sum;
        return null;
      end $$;`);
    this.addSql(`create trigger events_meter_usage_hours after insert on events referencing new table as inserted_events for each statement execute function meter_usage_hours_from_events();`);
    this.addSql(`create function meter_usage_hours_rebuild() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and new.event_name = old.event_name and new.aggregation = old.aggregation and new.filters = old.filters then
          return null;
        end if;
        -- Events committed while this runs would be missed by both triggers: hold inserts off until commit.
        lock table events in share mode;
        delete from meter_usage_hours where tenant_id = new.tenant_id and environment_id = new.environment_id and meter_id = new.id;
        if new.aggregation ->> 'type' in ('COUNT', 'SUM', 'SUM_WITH_MULTIPLIER') then
          insert into meter_usage_hours (tenant_id, environment_id, meter_id, external_customer_id, hour, event_count, value_sum)
          select new.tenant_id, new.environment_id, new.id, e.external_customer_id, date_bin('1 hour', e."timestamp", timestamptz '2000-01-01 00:00:00+00'),
                 count(*), coalesce(sum(case when new.aggregation ->> 'type' = 'COUNT' then 0 else meter_usage_value(e.properties, coalesce(new.aggregation ->> 'field', '')) end), 0)
          from events e
          where e.tenant_id = new.tenant_id and e.environment_id = new.environment_id and e.event_name = new.event_name and (new.filters = '[]'::jsonb or meter_filters_match(e.properties, new.filters))
          group by 4, 5;
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger meters_meter_usage_hours after insert or update on meters for each row execute function meter_usage_hours_rebuild();`);
    // The meters and events already stored: their hours, once (the triggers keep them from here on).
    this.addSql(`lock table events in share mode;`);
    this.addSql(`insert into meter_usage_hours (tenant_id, environment_id, meter_id, external_customer_id, hour, event_count, value_sum)
      select m.tenant_id, m.environment_id, m.id, e.external_customer_id, date_bin('1 hour', e."timestamp", timestamptz '2000-01-01 00:00:00+00'),
             count(*), coalesce(sum(case when m.aggregation ->> 'type' = 'COUNT' then 0 else meter_usage_value(e.properties, coalesce(m.aggregation ->> 'field', '')) end), 0)
      from meters m
      join events e on e.tenant_id = m.tenant_id and e.environment_id = m.environment_id and e.event_name = m.event_name and (m.filters = '[]'::jsonb or meter_filters_match(e.properties, m.filters))
      where m.aggregation ->> 'type' in ('COUNT', 'SUM', 'SUM_WITH_MULTIPLIER')
      group by 1, 2, 3, 4, 5;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists meters_meter_usage_hours on meters;`);
    this.addSql(`drop trigger if exists events_meter_usage_hours on events;`);
    this.addSql(`drop function if exists meter_usage_hours_rebuild();`);
    this.addSql(`drop function if exists meter_usage_hours_from_events();`);
    this.addSql(`drop function if exists meter_filters_match(jsonb, jsonb);`);
    this.addSql(`drop function if exists meter_usage_value(jsonb, text);`);
    this.addSql(`drop table if exists "meter_usage_hours" cascade;`);
  }

}
