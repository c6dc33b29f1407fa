"""Seeds (or tampers with) the detection path of moto's default account, through boto3.

usage: seed_detection_path.py ENDPOINT seed|tamper SPEC_JSON_FILE
SPEC: {"prefix": ..., "filters": [{"name", "pattern"}], "keyPolicy": {...}}; prints JSON of what it made.
"""
import json
import sys

import boto3

endpoint, mode, spec_file = sys.argv[1], sys.argv[2], sys.argv[3]
spec = json.load(open(spec_file))
R = "us-east-1"
kw = dict(endpoint_url=endpoint, region_name=R, aws_access_key_id="testing", aws_secret_access_key="testing")
c = lambda name: boto3.client(name, **kw)
prefix = spec["prefix"]
account = c("sts").get_caller_identity()["Account"]
group = "hardening/cloudtrail"
out = {"account": account}

if mode == "seed":
    kms = c("kms")
    key = kms.create_key(Policy=json.dumps(spec["keyPolicy"]))["KeyMetadata"]
    out["key"] = key["Arn"]
    s3 = c("s3")
    s3.create_bucket(Bucket="hardening-trail-archive")
    s3.create_bucket(Bucket="customer-pii-data")
    s3.put_bucket_tagging(Bucket="customer-pii-data", Tagging={"TagSet": [{"Key": "hardening:data-class", "Value": "pii"}]})
    table = c("dynamodb").create_table(
        TableName="customer-pii", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "hardening:data-class", "Value": "pii"}])["TableDescription"]
    logs = c("logs")
    logs.create_log_group(logGroupName=group, kmsKeyId=key["Arn"])
    logs.put_retention_policy(logGroupName=group, retentionInDays=1096)
    group_arn = f"arn:aws:logs:{R}:{account}:log-group:{group}:*"
    ct = c("cloudtrail")
    ct.create_trail(Name="org-trail", S3BucketName="hardening-trail-archive", IsMultiRegionTrail=True, IncludeGlobalServiceEvents=True,
                    EnableLogFileValidation=True, KmsKeyId=key["Arn"], CloudWatchLogsLogGroupArn=group_arn,
                    CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/trail-to-logs")
    ct.start_logging(Name="org-trail")
    ct.put_event_selectors(TrailName="org-trail", EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [
        {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::customer-pii-data/"]},
        {"Type": "AWS::DynamoDB::Table", "Values": [table["TableArn"]]}]}])
    sns = c("sns")
    topics = {}
    for t in ("alerts", "alarms"):
        arn = sns.create_topic(Name=f"{prefix}{t}", Attributes={"KmsMasterKeyId": key["KeyId"]})["TopicArn"]
        topics[t] = arn
        sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="security-alerts@example.com")
    out["topics"] = topics
    cw = c("cloudwatch")
    for f in spec["filters"]:
        logs.put_metric_filter(logGroupName=group, filterName=f["name"], filterPattern=f["pattern"],
                               metricTransformations=[{"metricName": f["name"], "metricNamespace": "CISBenchmark", "metricValue": "1"}])
        cw.put_metric_alarm(AlarmName=f"{prefix}cis-{f['name']}", MetricName=f["name"], Namespace="CISBenchmark", Statistic="Sum",
                            Period=300, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
                            ActionsEnabled=True, AlarmActions=[topics["alarms"]])
    ev = c("events")
    for r in ("guardduty-high-severity", "root-sign-in"):
        ev.put_rule(Name=f"{prefix}{r}", EventPattern=json.dumps({"source": ["aws.guardduty"]}), State="ENABLED")
        ev.put_targets(Rule=f"{prefix}{r}", Targets=[{"Id": "alerts", "Arn": topics["alerts"]}])
elif mode == "tamper":
    c("cloudtrail").stop_logging(Name="org-trail")
    c("logs").delete_metric_filter(logGroupName=group, filterName="CloudTrailConfigChanges")
    c("events").disable_rule(Name=f"{prefix}root-sign-in")
    sns = c("sns")
    alerts = f"arn:aws:sns:{R}:{account}:{prefix}alerts"
    for s in sns.list_subscriptions_by_topic(TopicArn=alerts)["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=s["SubscriptionArn"])
    # moto 5.2.1 answers DisableAlarmActions with a 500: the alarm is rewritten with its actions disabled instead.
    c("cloudwatch").put_metric_alarm(AlarmName=f"{prefix}cis-UnauthorizedApiCalls", MetricName="UnauthorizedApiCalls", Namespace="CISBenchmark",
                                     Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
                                     ActionsEnabled=False, AlarmActions=[f"arn:aws:sns:{R}:{account}:{prefix}alarms"])
else:
    raise SystemExit(f"unknown mode {mode!r}")
print(json.dumps(out))
