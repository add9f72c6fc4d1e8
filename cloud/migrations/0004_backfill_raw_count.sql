-- Rows written before raw and device counts were kept apart held raw event counts only.
UPDATE "rollup_minute" SET "raw_count" = "count" WHERE "raw_count" = 0 AND "device_count" = 0;
