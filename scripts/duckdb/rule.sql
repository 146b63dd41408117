-- DuckDB reference implementation of the analytic rule "Mass Download & copy to USB device by
-- single user" (docs: /work/shared/docs/rule.kql, semantics.md, findings.md), for benchmarking
-- usbexfil against DuckDB on the same exports. One query; {DIR} is replaced by the runner
-- (scripts/bench-duckdb) with the folder that holds the four tables' JSON-lines files (plain or
-- .gz: DuckDB picks the decompressor from the file name).
--
-- Conventions used throughout (inlined, since this file is a single statement):
--   * Kusto string:   coalesce(col, '')  -- columns are read as VARCHAR; DuckDB gives a JSON
--                     number/boolean/object in a VARCHAR column as its JSON text.
--   * Kusto datetime: a BIGINT of 100 ns ticks since 1970, or NULL when the text does not match
--                     semantics.md's grammar (the regexp) or names no real instant (TRY_CAST).
--                     The 8th and later fractional digits are dropped before the cast.
--   * dynamic column: read as JSON; a JSON string whose text is valid JSON is parsed once.
--   * =~ / in~ / startswith: ASCII-only case folding with translate() (lower() would also fold
--                     non-ASCII letters, which Kusto does not).
WITH
-- ---------------------------------------------------------------------------------------------
-- Stage 1: alerts named like the rule's alert, not Resolved; mv-expand Entities into the IP and
-- account values; one row per (IP, account) pair.
sa AS (
  SELECT
    CASE WHEN regexp_full_match(TimeGenerated, '\d{4}-(0[1-9]|1[0-2])-\d\d[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?')
         THEN epoch_ns(TRY_CAST(regexp_replace(TimeGenerated, '(\.\d{7})\d+', '\1') AS TIMESTAMP_NS)) // 100 END AS Alert_Ticks,
    CASE WHEN json_type(Entities) = 'VARCHAR' AND json_valid(Entities ->> '$')
         THEN json(Entities ->> '$') ELSE Entities END AS Ent
  FROM read_json('{DIR}/SecurityAlert.jsonl*', format = 'newline_delimited',
                 columns = {TimeGenerated: 'VARCHAR', AlertName: 'VARCHAR', Status: 'VARCHAR', Entities: 'JSON'})
  WHERE translate(coalesce(AlertName, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
          = 'mass download by a single user'
    AND coalesce(Status, '') <> 'Resolved'
),
sa_lists AS (
  -- mv-expand: only an array can yield an element with a Type (an object yields single-key
  -- objects, of which at most one is {"Type": ...}, so never both an ip and an account).
  SELECT Alert_Ticks,
    list_transform(list_filter(Ent::JSON[], lambda e: e ->> '$.Type' = 'ip'),
                   lambda e: coalesce(e ->> '$.Address', '')) AS ips,
    list_transform(list_filter(Ent::JSON[], lambda e: e ->> '$.Type' = 'account'),
                   lambda e: coalesce(e ->> '$.AadUserId', '')) AS accounts
  FROM sa
  WHERE json_type(Ent) = 'ARRAY'
),
alerts AS (
  SELECT DISTINCT Alert_Ticks, ip.IpAddress, acc.AADUserId
  FROM sa_lists, unnest(ips) AS ip(IpAddress), unnest(accounts) AS acc(AADUserId)
),
-- ---------------------------------------------------------------------------------------------
-- Stage 2: FileDownloaded summaries per (Application, AccountObjectId, UserId, IPAddress, City,
-- CountryCode).
cae AS (
  SELECT coalesce(Application, '') AS Application, coalesce(AccountObjectId, '') AS AccountObjectId,
         coalesce(IPAddress, '') AS IPAddress, coalesce(City, '') AS City,
         coalesce(CountryCode, '') AS CountryCode,
         CASE WHEN regexp_full_match(TimeGenerated, '\d{4}-(0[1-9]|1[0-2])-\d\d[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?')
              THEN epoch_ns(TRY_CAST(regexp_replace(TimeGenerated, '(\.\d{7})\d+', '\1') AS TIMESTAMP_NS)) // 100 END AS Ticks,
         CASE WHEN json_type(RawEventData) = 'VARCHAR' AND json_valid(RawEventData ->> '$')
              THEN json(RawEventData ->> '$') ELSE RawEventData END AS Raw
  FROM read_json('{DIR}/CloudAppEvents.jsonl*', format = 'newline_delimited',
                 columns = {TimeGenerated: 'VARCHAR', ActionType: 'VARCHAR', Application: 'VARCHAR',
                            AccountObjectId: 'VARCHAR', IPAddress: 'VARCHAR', City: 'VARCHAR',
                            CountryCode: 'VARCHAR', RawEventData: 'JSON'})
  WHERE ActionType = 'FileDownloaded'
),
ca_events AS (
  SELECT Application, AccountObjectId, UserId, IPAddress, City, CountryCode,
         min(Ticks) AS CA_Start, max(Ticks) AS CA_End,
         list_sort(list_distinct(list(FileName))) AS CloudAppEvent_Files,
         count(DISTINCT FileName) AS FileCount
  FROM (SELECT *, coalesce(Raw ->> '$.UserId', '') AS UserId,
               coalesce(Raw ->> '$.SourceFileName', '') AS FileName FROM cae)
  GROUP BY ALL
),
-- ---------------------------------------------------------------------------------------------
-- Stage 3: alerts joined to downloads on (account, IP); downloads end at or before the alert.
ca_alerts AS (
  SELECT a.Alert_Ticks, c.UserId, a.AADUserId, c.IPAddress,
         c.Application, c.AccountObjectId, c.City, c.CountryCode, c.CA_Start, c.CA_End,
         c.CloudAppEvent_Files, c.FileCount
  FROM alerts a JOIN ca_events c ON a.AADUserId = c.AccountObjectId AND a.IpAddress = c.IPAddress
  WHERE c.CA_End <= a.Alert_Ticks
),
-- The global file list (in~ over every CloudAppEvent_Files of stage 3), ASCII-folded.
file_list AS (
  SELECT DISTINCT translate(f, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS Folded
  FROM ca_alerts, unnest(CloudAppEvent_Files) AS u(f)
),
-- ---------------------------------------------------------------------------------------------
-- Stage 4: FileCreated/FileRenamed of listed names, grouped per (UPN, device, process, parent).
dfe AS (
  SELECT coalesce(InitiatingProcessAccountUpn, '') AS InitiatingProcessAccountUpn,
         coalesce(DeviceId, '') AS DeviceId, coalesce(DeviceName, '') AS DeviceName,
         coalesce(InitiatingProcessFolderPath, '') AS InitiatingProcessFolderPath,
         coalesce(InitiatingProcessParentFileName, '') AS InitiatingProcessParentFileName,
         coalesce(FolderPath, '') AS FolderPath,
         CASE WHEN regexp_full_match(TimeGenerated, '\d{4}-(0[1-9]|1[0-2])-\d\d[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?')
              THEN epoch_ns(TRY_CAST(regexp_replace(TimeGenerated, '(\.\d{7})\d+', '\1') AS TIMESTAMP_NS)) // 100 END AS Ticks
  FROM read_json('{DIR}/DeviceFileEvents.jsonl*', format = 'newline_delimited',
                 columns = {TimeGenerated: 'VARCHAR', ActionType: 'VARCHAR', DeviceId: 'VARCHAR',
                            DeviceName: 'VARCHAR', FileName: 'VARCHAR', FolderPath: 'VARCHAR',
                            InitiatingProcessAccountUpn: 'VARCHAR',
                            InitiatingProcessFolderPath: 'VARCHAR',
                            InitiatingProcessParentFileName: 'VARCHAR'})
  WHERE ActionType IN ('FileCreated', 'FileRenamed')
    AND translate(coalesce(FileName, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
          IN (SELECT Folded FROM file_list)
),
dfe_groups AS (
  SELECT InitiatingProcessAccountUpn, DeviceId, DeviceName, InitiatingProcessFolderPath,
         InitiatingProcessParentFileName,
         min(Ticks) AS DFE_Start, max(Ticks) AS DFE_End,
         list_sort(list_distinct(list(FolderPath))) AS DeviceFileEvent_Files,
         count(DISTINCT FolderPath) AS DeviceFileEvent_FileCount
  FROM dfe
  GROUP BY ALL
),
-- Stage 3 joined to the groups on UserId == UPN (exact); copies start at or after the alert.
ca_dfe AS (
  SELECT c.*, d.*
  FROM ca_alerts c JOIN dfe_groups d ON c.UserId = d.InitiatingProcessAccountUpn
  WHERE d.DFE_Start >= c.Alert_Ticks
),
-- ---------------------------------------------------------------------------------------------
-- Stage 5: UsbDriveMounted with a drive letter, joined on DeviceId, mounted at or after the alert.
usb AS (
  SELECT Ticks AS USB_Ticks, DeviceId,
         coalesce(Af ->> '$.DriveLetter', '') AS USB_DriveLetter,
         coalesce(Af ->> '$.ProductName', '') AS USB_ProductName,
         coalesce(Af ->> '$.Volume', '') AS USB_Volume
  FROM (
    SELECT coalesce(DeviceId, '') AS DeviceId,
           CASE WHEN regexp_full_match(TimeGenerated, '\d{4}-(0[1-9]|1[0-2])-\d\d[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?')
                THEN epoch_ns(TRY_CAST(regexp_replace(TimeGenerated, '(\.\d{7})\d+', '\1') AS TIMESTAMP_NS)) // 100 END AS Ticks,
           CASE WHEN json_type(AdditionalFields) = 'VARCHAR' AND json_valid(AdditionalFields ->> '$')
                THEN json(AdditionalFields ->> '$') ELSE AdditionalFields END AS Af
    FROM read_json('{DIR}/DeviceEvents.jsonl*', format = 'newline_delimited',
                   columns = {TimeGenerated: 'VARCHAR', ActionType: 'VARCHAR', DeviceId: 'VARCHAR',
                              AdditionalFields: 'JSON'})
    WHERE ActionType = 'UsbDriveMounted'
  )
  WHERE coalesce(Af ->> '$.DriveLetter', '') <> ''
),
joined AS (
  SELECT x.*, u.USB_Ticks, u.USB_DriveLetter, u.USB_ProductName, u.USB_Volume
  FROM ca_dfe x JOIN usb u ON x.DeviceId = u.DeviceId
  WHERE u.USB_Ticks >= x.Alert_Ticks
),
-- ---------------------------------------------------------------------------------------------
-- Stage 6: mv-expand the copied paths, keep those on the drive (startswith, ASCII case-folded),
-- one finding per group. The three _Details bags are functions of their key columns, so grouping
-- by those columns is grouping by the bags.
findings AS (
  SELECT Alert_Ticks, USB_Ticks, UserId, AADUserId, DeviceId, DeviceName, IPAddress,
         Application, AccountObjectId, City, CountryCode, CA_Start, CA_End, CloudAppEvent_Files,
         FileCount,
         InitiatingProcessAccountUpn, InitiatingProcessFolderPath, InitiatingProcessParentFileName,
         DFE_Start, DFE_End, DeviceFileEvent_Files, DeviceFileEvent_FileCount,
         USB_DriveLetter, USB_ProductName, USB_Volume,
         list_sort(list_distinct(list(f))) AS USB_Drive_MatchedFiles
  FROM joined, unnest(DeviceFileEvent_Files) AS u(f)
  WHERE starts_with(translate(f, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
                    translate(USB_DriveLetter, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))
  GROUP BY ALL
),
-- Datetimes as findings.md writes them: UTC, seven fractional digits, Z.
fmt AS (
  SELECT *,
    left(strftime(make_timestamp_ns(Alert_Ticks * 100), '%Y-%m-%dT%H:%M:%S.%n'), 27) || 'Z' AS Alert_TimeGenerated,
    left(strftime(make_timestamp_ns(USB_Ticks * 100), '%Y-%m-%dT%H:%M:%S.%n'), 27) || 'Z' AS USB_TimeGenerated,
    left(strftime(make_timestamp_ns(CA_Start * 100), '%Y-%m-%dT%H:%M:%S.%n'), 27) || 'Z' AS CloudAppEvent_StartTime,
    left(strftime(make_timestamp_ns(CA_End * 100), '%Y-%m-%dT%H:%M:%S.%n'), 27) || 'Z' AS CloudAppEvent_EndTime,
    left(strftime(make_timestamp_ns(DFE_Start * 100), '%Y-%m-%dT%H:%M:%S.%n'), 27) || 'Z' AS DeviceFileEvent_StartTime,
    left(strftime(make_timestamp_ns(DFE_End * 100), '%Y-%m-%dT%H:%M:%S.%n'), 27) || 'Z' AS DeviceFileEvent_EndTime
  FROM findings
)
SELECT
  Alert_TimeGenerated, USB_TimeGenerated, UserId, AADUserId, DeviceId, DeviceName, IPAddress,
  json_object('Application', Application, 'AccountObjectId', AccountObjectId, 'UserId', UserId,
              'IPAddress', IPAddress, 'City', City, 'CountryCode', CountryCode,
              'CloudAppEvent_StartTime', CloudAppEvent_StartTime,
              'CloudAppEvent_EndTime', CloudAppEvent_EndTime,
              'CloudAppEvent_Files', CloudAppEvent_Files, 'FileCount', FileCount) AS CloudAppEvents_Details,
  json_object('InitiatingProcessAccountUpn', InitiatingProcessAccountUpn, 'DeviceId', DeviceId,
              'DeviceName', DeviceName, 'InitiatingProcessFolderPath', InitiatingProcessFolderPath,
              'InitiatingProcessParentFileName', InitiatingProcessParentFileName,
              'DeviceFileEvent_StartTime', DeviceFileEvent_StartTime,
              'DeviceFileEvent_EndTime', DeviceFileEvent_EndTime,
              'DeviceFileEvent_Files', DeviceFileEvent_Files,
              'DeviceFileEvent_FileCount', DeviceFileEvent_FileCount) AS DeviceFileEvents_Details,
  json_object('USB_TimeGenerated', USB_TimeGenerated, 'DeviceId', DeviceId,
              'USB_DriveLetter', USB_DriveLetter, 'USB_ProductName', USB_ProductName,
              'USB_Volume', USB_Volume) AS USB_Details,
  USB_Drive_MatchedFiles,
  string_split(InitiatingProcessFolderPath, '\')[-1] AS InitiatingProcessFileName,
  InitiatingProcessFolderPath,
  string_split(DeviceName, '.')[1] AS HostName,
  CASE WHEN strpos(DeviceName, '.') > 0 THEN substr(DeviceName, strpos(DeviceName, '.') + 1)
       ELSE DeviceName END AS HostNameDomain,
  string_split(UserId, '@')[1] AS AccountName,
  coalesce(string_split(UserId, '@')[2], '') AS AccountUPNSuffix
FROM fmt
-- findings.md's order: Alert_TimeGenerated, UserId, DeviceId, USB_TimeGenerated, then (close to
-- "the serialized row") the remaining columns in output order.
ORDER BY Alert_TimeGenerated, UserId, DeviceId, USB_TimeGenerated, AADUserId, DeviceName, IPAddress,
         CloudAppEvents_Details::VARCHAR, DeviceFileEvents_Details::VARCHAR, USB_Details::VARCHAR
