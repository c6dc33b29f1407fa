"""Seeds an organization in moto, through boto3, as the organization deployment mode builds it.

usage: seed_organization.py ENDPOINT SPEC_JSON_FILE
SPEC: {"auditRoleName": ..., "scps": {"<short name>": <rendered content>}, "stackSets": {"<name>": [regions]},
       "toolingStandIn": <the account id the SCPs were rendered with for the security-tooling account>}

The caller (moto's default account) is the management account. Layout:
  root
  +- Workloads (baseline target)       dev, closed (then closed: SUSPENDED), excluded
  |  +- Prod                           prod
  |     +- Deep                        deep
  +- Security                          tooling
SCPs: protect-security-services on Workloads and Security, deny-root-user on Workloads (each with the
rendered content); the audit role in every account, the management account's too; an organization
trail, multi-region and logging, in the management account; the baseline StackSets (service-managed)
on Workloads. Prints JSON of the ids it made.
"""
import json
import sys

import boto3

endpoint, spec_file = sys.argv[1], sys.argv[2]
spec = json.load(open(spec_file))
R = "us-east-1"
creds = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
c = lambda name, region=R, **kw: boto3.client(name, endpoint_url=endpoint, region_name=region, **{**creds, **kw})

org = c("organizations")
management = c("sts").get_caller_identity()["Account"]
org.create_organization(FeatureSet="ALL")
root = org.list_roots()["Roots"][0]["Id"]
ou = lambda name, parent: org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
workloads = ou("Workloads", root)
prod = ou("Prod", workloads)
deep = ou("Deep", prod)
security = ou("Security", root)


def account(name, parent):
    status = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
    account_id = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
    return account_id


ids = {n: account(n, p) for n, p in [("tooling", security), ("dev", workloads), ("closed", workloads), ("excluded", workloads), ("prod", prod), ("deep", deep)]}
org.close_account(AccountId=ids["closed"])

# The audit role in every account: the management account's own, and one in each member, made with
# credentials of that account (moto gives an assumed role the account of its ARN).
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ids['tooling']}:root"}, "Action": "sts:AssumeRole"}]})
for account_id in [management] + [ids[n] for n in ("tooling", "dev", "excluded", "prod", "deep")]:
    if account_id == management:
        iam = c("iam")
    else:
        cr = c("sts").assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="seed")["Credentials"]
        iam = boto3.client("iam", endpoint_url=endpoint, region_name=R, aws_access_key_id=cr["AccessKeyId"], aws_secret_access_key=cr["SecretAccessKey"], aws_session_token=cr["SessionToken"])
    iam.create_role(RoleName=spec["auditRoleName"], AssumeRolePolicyDocument=trust)

org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
policies = {}
for name, content in spec["scps"].items():
    # The content names the security-tooling account (its automation roles update GuardDuty's organization
    # configuration): rendered for a stand-in id, it gets the id of the account created above.
    rendered = json.dumps(content).replace(spec.get("toolingStandIn", "000000000002"), ids["tooling"])
    policies[name] = org.create_policy(Content=rendered, Description=name, Name=f"cdk-hardening-{name}", Type="SERVICE_CONTROL_POLICY")["Policy"]["PolicySummary"]["Id"]
for name, target in [("protect-security-services", workloads), ("protect-security-services", security), ("deny-root-user", workloads)]:
    org.attach_policy(PolicyId=policies[name], TargetId=target)

c("s3").create_bucket(Bucket="org-trail-archive")
ct = c("cloudtrail")
ct.create_trail(Name="org-trail", S3BucketName="org-trail-archive", IsMultiRegionTrail=True, IsOrganizationTrail=True, IncludeGlobalServiceEvents=True, EnableLogFileValidation=True)
ct.start_logging(Name="org-trail")

# GuardDuty: a detector for the caller in us-east-1 only (moto has no organization configuration to read).
c("guardduty").create_detector(Enable=True)

cfn = c("cloudformation")
template = json.dumps({"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}})
for name, regions in spec["stackSets"].items():
    cfn.create_stack_set(StackSetName=name, TemplateBody=template, PermissionModel="SERVICE_MANAGED", AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": True})
    cfn.create_stack_instances(StackSetName=name, DeploymentTargets={"OrganizationalUnitIds": [workloads]}, Regions=regions)

print(json.dumps({"management": management, "root": root, "ouWorkloads": workloads, "ouProd": prod, "ouDeep": deep, "ouSecurity": security, **ids}))
