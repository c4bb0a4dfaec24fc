"""The Aliases & canaries presets: each teaches one lesson, with what to watch.

Ids are stable: content YAML links cards to them and the page loads them from ``?preset=<id>``.
"""

from __future__ import annotations

from trainer.explainers.aliases.deployment import AlarmMetric, DeploymentSettings
from trainer.explainers.aliases.scenario import AliasesScenario, View
from trainer.explainers.aliases.topology import AliasSetup, CallerTarget, ProvisionedOn
from trainer.explainers.preset import Preset

_DIAGRAM = AliasesScenario(View.DIAGRAM)


def _deploy(**changes: object) -> AliasesScenario:
    return AliasesScenario(View.DEPLOYMENT, deployment=DeploymentSettings().with_(**changes))


def _presets() -> dict[str, Preset[AliasesScenario]]:
    presets = [
        Preset(
            "alias-pointer",
            "An alias is a pointer to an immutable version",
            "Published versions never change; $LATEST is the only editable one. An alias "
            "names one version, and callers that invoke the alias follow it when it moves.",
            "API Gateway and the event source mapping both point at the alias live, which "
            "points at version 3. Change the alias's version in the sidebar: only one arrow "
            "moves, the callers keep their ARN. The dev alias shows an alias may point at $LATEST.",
            _DIAGRAM,
        ),
        Preset(
            "weighted-alias",
            "A weighted alias splits traffic between two versions",
            "An alias can send a weight of its requests to a second published version "
            "(AdditionalVersionWeights). CodeDeploy's canary and linear deployments work by "
            "changing that weight.",
            "live keeps 90 % on version 3 and sends 10 % to version 4: two arrows leave the "
            "alias, labelled with their share. Try making version 4 the main one, or choosing "
            "$LATEST: a routing config only takes published versions.",
            AliasesScenario(View.DIAGRAM, AliasSetup(published=4, live_version=3, weighted_version=4)),
        ),
        Preset(
            "callers-on-latest",
            "Callers on $LATEST ship every edit at once",
            "An unqualified ARN invokes $LATEST. A caller pointed there gets every change the "
            "moment it is saved, and there is nothing to roll back to.",
            "API Gateway's arrow goes to $LATEST and a warning explains the risk. Point it at "
            "the alias to put a release step (and a rollback) between an edit and the users.",
            AliasesScenario(View.DIAGRAM, AliasSetup(api_target=CallerTarget.LATEST)),
        ),
        Preset(
            "provisioned-on-version",
            "Provisioned concurrency must be where the traffic goes",
            "Provisioned concurrency is set on a published version or an alias, never on "
            "$LATEST. On a version the alias no longer uses, it is paid for and sits idle.",
            "50 provisioned environments are on version 2, but live sends everything to "
            "version 3. Put them on the alias instead: then they follow the alias to each "
            "new version.",
            AliasesScenario(
                View.DIAGRAM,
                AliasSetup(provisioned_on=ProvisionedOn.VERSION, provisioned_version=2),
            ),
        ),
        Preset(
            "canary-catches",
            "A canary limits who sees a bad version",
            "Canary10Percent5Minutes sends 10 % of traffic to the new version first. A "
            "CloudWatch alarm on the new version's errors fires within a minute and CodeDeploy "
            "rolls the alias back before the other 90 % ever move.",
            "The new version fails 20 % of requests. The share line steps to 10 % at 10 s (after "
            "the pre-traffic hook), the alarm fires at the end of the first 60-second period, "
            "and the line drops back to 0. Compare the bar chart: AllAtOnce shows it to everybody.",
            _deploy(),
        ),
        Preset(
            "all-at-once-no-rollback",
            "All at once finishes before the alarm can act",
            "AllAtOnce moves every request to the new version at once. CodeDeploy only watches "
            "alarms while the deployment runs, and this one is over before the alarm's first "
            "period ends.",
            "The deployment succeeds at 20 s; the alarm goes off at 60 s, too late to roll "
            "back. Every user meets the bad version until someone acts. Switch to "
            "Canary10Percent5Minutes to compare.",
            _deploy(strategy="AllAtOnce"),
        ),
        Preset(
            "diluted-alarm",
            "An alarm on the whole alias misses a canary",
            "An error-rate alarm over all of the alias's requests dilutes the canary: 10 % of "
            "traffic failing 20 % of the time is only 2 % of all requests.",
            "The alarm threshold is 5 % of the alias's requests. During the canary the alarm "
            "sees 2 % and stays quiet. After 5 minutes all traffic moves and the deployment "
            "succeeds at 320 s; the alarm fires at 360 s, too late for a rollback. Switch the "
            "alarm to the new version's errors.",
            _deploy(alarm_metric=AlarmMetric.ALIAS),
        ),
        Preset(
            "linear-steps",
            "Linear deployments move traffic in equal steps",
            "Linear10PercentEvery1Minute adds 10 % a minute until all traffic is on the new "
            "version. A version that fails only a little needs time to cross the threshold.",
            "The new version fails 3 % of requests against an alarm at 2 % over 3 periods of "
            "60 s. Watch the share climb 10, 20, 30 % … and the alarm fire after three breaching "
            "minutes, with about 30 % of traffic on the new version.",
            _deploy(
                strategy="Linear10PercentEvery1Minute",
                new_error_rate=0.03,
                alarm_error_rate=0.02,
                evaluation_periods=3,
            ),
        ),
        Preset(
            "hooks-gate",
            "Pre- and post-traffic hooks gate a deployment",
            "A pre-traffic hook runs before any traffic moves; a post-traffic hook after all "
            "of it has. Either one reporting Failed stops the deployment and rolls it back.",
            "The new version has no errors, but the post-traffic hook's test fails: once 100 % "
            "is shifted and the hook finishes, the alias rolls back. Make the pre-traffic hook "
            "fail instead: no user ever reaches the new version.",
            _deploy(new_error_rate=0.0, post_hook_s=60, post_hook_passes=False),
        ),
    ]
    return {p.id: p for p in presets}


PRESETS: dict[str, Preset[AliasesScenario]] = _presets()
DEFAULT_PRESET = "alias-pointer"
