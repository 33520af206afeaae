// The catalog's icon names mapped to the official AWS architecture icons (aws-icons).
// Vite turns each import into a hashed asset URL, so only these few SVGs ship.
import alb from "aws-icons/icons/resource/ElasticLoadBalancingApplicationLoadBalancer.svg";
import alarm from "aws-icons/icons/resource/AmazonCloudWatchAlarm.svg";
import logs from "aws-icons/icons/resource/AmazonCloudWatchLogs.svg";
import nat from "aws-icons/icons/resource/AmazonVPCNATGateway.svg";
import apiGateway from "aws-icons/icons/architecture-service/AmazonAPIGateway.svg";
import cloudfront from "aws-icons/icons/architecture-service/AmazonCloudFront.svg";
import cognito from "aws-icons/icons/architecture-service/AmazonCognito.svg";
import dynamodb from "aws-icons/icons/architecture-service/AmazonDynamoDB.svg";
import ec2 from "aws-icons/icons/architecture-service/AmazonEC2.svg";
import ecr from "aws-icons/icons/architecture-service/AmazonElasticContainerRegistry.svg";
import elasticache from "aws-icons/icons/architecture-service/AmazonElastiCache.svg";
import eventbridge from "aws-icons/icons/architecture-service/AmazonEventBridge.svg";
import kinesis from "aws-icons/icons/architecture-service/AmazonKinesisDataStreams.svg";
import rds from "aws-icons/icons/architecture-service/AmazonRDS.svg";
import route53 from "aws-icons/icons/architecture-service/AmazonRoute53.svg";
import sns from "aws-icons/icons/architecture-service/AmazonSimpleNotificationService.svg";
import sqs from "aws-icons/icons/architecture-service/AmazonSimpleQueueService.svg";
import s3 from "aws-icons/icons/architecture-service/AmazonSimpleStorageService.svg";
import vpcService from "aws-icons/icons/architecture-service/AmazonVirtualPrivateCloud.svg";
import fargate from "aws-icons/icons/architecture-service/AWSFargate.svg";
import kms from "aws-icons/icons/architecture-service/AWSKeyManagementService.svg";
import lambda from "aws-icons/icons/architecture-service/AWSLambda.svg";
import secrets from "aws-icons/icons/architecture-service/AWSSecretsManager.svg";
import stepFunctions from "aws-icons/icons/architecture-service/AWSStepFunctions.svg";
import waf from "aws-icons/icons/architecture-service/AWSWAF.svg";
import privateSubnet from "aws-icons/icons/architecture-group/Privatesubnet.svg";
import publicSubnet from "aws-icons/icons/architecture-group/Publicsubnet.svg";
import vpcGroup from "aws-icons/icons/architecture-group/VirtualprivatecloudVPC.svg";

const ICONS: Record<string, string> = {
  application_load_balancer: alb,
  cloudwatch_alarm: alarm,
  cloudwatch_logs: logs,
  nat_gateway: nat,
  api_gateway: apiGateway,
  cloudfront,
  cognito,
  dynamodb,
  ec2,
  ecr,
  elasticache,
  eventbridge,
  kinesis,
  rds,
  route53,
  sns,
  sqs,
  s3,
  vpc: vpcService,
  subnet: privateSubnet,
  fargate,
  kms,
  lambda,
  secrets_manager: secrets,
  step_functions: stepFunctions,
  waf,
};

export const GROUP_ICONS = { vpc: vpcGroup, privateSubnet, publicSubnet };

export function iconUrl(icon: string): string | undefined {
  return ICONS[icon];
}
