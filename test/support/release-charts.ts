/** Templates the release suites share. */

/**
 * A pre-upgrade hook Pod that holds an upgrade until the test marks it Succeeded (no kubelet
 * runs it in a namespace without the fake kubelet), so a concurrent operation can be started
 * while the first one certainly holds the release.
 */
export const upgradeGate = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: gate\n  annotations:\n    helm.sh/hook: pre-upgrade\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: busybox}]\n`;

/** kubectl arguments that let the gate's upgrade go on. */
export function openGate(namespace: string): string[] {
  return [
    "patch",
    "pod",
    "gate",
    "-n",
    namespace,
    "--subresource=status",
    "--type=merge",
    "-p",
    '{"status":{"phase":"Succeeded"}}',
  ];
}
