"""Alarms on every function, the API and the queues, notifying one SNS topic operators subscribe to."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Aws, Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.compute import pascal_case
from infra.nag import acknowledge

ALARM_PERIOD = Duration.minutes(5)
# A queue whose oldest message waits this long is not keeping up (or its consumer keeps failing).
QUEUE_AGE_ALARM_S = 3600


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Mapping[str, lambda_.IFunction],
        rest_api: apigw.RestApi,
        queues: Mapping[str, sqs.IQueue],
        dead_letter_queues: Mapping[str, sqs.IQueue],
        failed_runs: cloudwatch.IMetric,
    ) -> None:
        super().__init__(scope, construct_id)
        # enforce_ssl gives the topic a policy (its SSL-only deny), which replaces SNS's default one that let this
        # account publish: CloudWatch must then be allowed explicitly, or no alarm ever reaches anyone.
        self.alarm_topic = sns.Topic(self, "AlarmTopic", display_name="CRM alarms", enforce_ssl=True)
        alarms_here = f"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}:alarm:*"
        self.alarm_topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsOfThisAccountPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.alarm_topic.topic_arn],
                # Only on behalf of alarms in this account and region (no confused deputy).
                conditions={
                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                    "ArnLike": {"aws:SourceArn": alarms_here},
                },
            )
        )
        acknowledge(
            self.alarm_topic,
            "AwsSolutions-SNS2",
            "Alarm notifications carry no tenant data, and CloudWatch cannot publish to a topic "
            "encrypted with the AWS managed SNS key.",
        )
        self._notify = cloudwatch_actions.SnsAction(self.alarm_topic)
        self.alarms: list[cloudwatch.Alarm] = []
        for name, function in functions.items():
            self._alarm(
                f"{pascal_case(name)}Errors",
                function.metric_errors(period=ALARM_PERIOD, statistic=cloudwatch.Stats.SUM),
                f"The {name} function raised an error",
            )
            self._alarm(
                f"{pascal_case(name)}Throttles",
                function.metric_throttles(period=ALARM_PERIOD, statistic=cloudwatch.Stats.SUM),
                f"The {name} function was throttled",
            )
        self._alarm(
            "Api5xx",
            rest_api.metric_server_error(period=ALARM_PERIOD, statistic=cloudwatch.Stats.SUM),
            "The API answered with a 5xx",
        )
        for name, queue in queues.items():
            self._alarm(
                f"{pascal_case(name)}OldestMessage",
                queue.metric_approximate_age_of_oldest_message(period=ALARM_PERIOD, statistic=cloudwatch.Stats.MAXIMUM),
                f"A message has waited over {QUEUE_AGE_ALARM_S} s in the {name} queue",
                threshold=QUEUE_AGE_ALARM_S,
            )
        for name, dead_letters in dead_letter_queues.items():
            self._alarm(
                f"{pascal_case(name)}DeadLetters",
                dead_letters.metric_approximate_number_of_messages_visible(
                    period=ALARM_PERIOD, statistic=cloudwatch.Stats.MAXIMUM
                ),
                f"Messages wait in the {name} dead-letter queue: inspect, fix, then redrive",
            )

        # A failed run never fails silently: it is in the run's status, a `workflow.run_failed` event and here.
        self._alarm("WorkflowRunsFailed", failed_runs, "A workflow run failed: see GET /v1/workflow-runs/{id}")

    def _alarm(self, construct_id: str, metric: cloudwatch.IMetric, description: str, *, threshold: float = 1) -> None:
        """Reaching the threshold (by default: any occurrence) within one period alarms; no data is healthy."""
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(self._notify)
        alarm.add_ok_action(self._notify)
        self.alarms.append(alarm)
