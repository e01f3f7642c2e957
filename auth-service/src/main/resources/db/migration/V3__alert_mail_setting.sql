-- Account setting: quota alerts (80 % / 100 % of storage or bandwidth) are e-mailed unless the user turned them off.
alter table app_user add column quota_alert_mail boolean not null default true;
