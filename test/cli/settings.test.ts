import { describe, expect, test } from "bun:test";
import { envVars, resolveSettings, usesRemoteTiller } from "../../src/cli/settings.ts";

describe("resolveSettings", () => {
  test("Tiller: embedded unless --host/TILLER_HOST or --tiller-namespace/TILLER_NAMESPACE is given", () => {
    const none = resolveSettings({}, { HOME: "/h" });
    expect(none).toMatchObject({ tillerNamespace: "kube-system", tillerNamespaceExplicit: false });
    expect(none.tillerConnectionTimeout).toBe(300);
    expect(usesRemoteTiller(none)).toBe(false);
    const byEnv = resolveSettings({}, { HOME: "/h", TILLER_NAMESPACE: "tiller" });
    expect(byEnv).toMatchObject({ tillerNamespace: "tiller", tillerNamespaceExplicit: true });
    expect(usesRemoteTiller(byEnv)).toBe(true);
    const byFlag = resolveSettings(
      { tillerNamespace: "t2", tillerConnectionTimeout: 5 },
      { HOME: "/h", TILLER_NAMESPACE: "tiller" },
    );
    expect(byFlag).toMatchObject({ tillerNamespace: "t2", tillerConnectionTimeout: 5 });
    expect(usesRemoteTiller(resolveSettings({}, { HOME: "/h", TILLER_HOST: "x:1" }))).toBe(true);
    expect(usesRemoteTiller(resolveSettings({}, { HOME: "/h", TILLER_NAMESPACE: "" }))).toBe(false);
  });

  test("defaults follow XDG under HOME", () => {
    const s = resolveSettings({}, { HOME: "/home/u" });
    expect(s.cacheHome).toBe("/home/u/.cache/helm");
    expect(s.configHome).toBe("/home/u/.config/helm");
    expect(s.dataHome).toBe("/home/u/.local/share/helm");
    expect(s.repositoryConfig).toBe("/home/u/.config/helm/repositories.yaml");
    expect(s.repositoryCache).toBe("/home/u/.cache/helm/repository");
    expect(s.registryConfig).toBe("/home/u/.config/helm/registry/config.json");
    expect(s.pluginsDirectory).toBe("/home/u/.local/share/helm/plugins");
    expect(s.namespace).toBe("default");
    expect(s.namespaceExplicit).toBe(false);
    expect(s.driver).toBe("secret");
  });

  test("XDG variables then HELM_*_HOME take precedence", () => {
    const xdg = resolveSettings({}, { HOME: "/h", XDG_CACHE_HOME: "/xc", XDG_CONFIG_HOME: "/xf" });
    expect(xdg.cacheHome).toBe("/xc/helm");
    expect(xdg.configHome).toBe("/xf/helm");
    const helm = resolveSettings({}, { HOME: "/h", XDG_CACHE_HOME: "/xc", HELM_CACHE_HOME: "/hc" });
    expect(helm.cacheHome).toBe("/hc");
    expect(helm.repositoryCache).toBe("/hc/repository");
  });

  test("flags override environment variables", () => {
    const env = {
      HOME: "/h",
      HELM_NAMESPACE: "from-env",
      HELM_KUBECONTEXT: "ctx-env",
      HELM_BURST_LIMIT: "7",
    };
    expect(resolveSettings({}, env).namespace).toBe("from-env");
    const s = resolveSettings({ namespace: "from-flag", kubeContext: "ctx-flag", burstLimit: 9 }, env);
    expect(s.namespace).toBe("from-flag");
    expect(s.namespaceExplicit).toBe(true);
    expect(s.kubeContext).toBe("ctx-flag");
    expect(s.burstLimit).toBe(9);
    expect(resolveSettings({}, env).burstLimit).toBe(7);
  });

  test("impersonation groups come from repeated flags or a comma list", () => {
    expect(resolveSettings({ kubeAsGroup: ["a", "b"] }, { HOME: "/h" }).kubeAsGroups).toEqual(["a", "b"]);
    expect(resolveSettings({}, { HOME: "/h", HELM_KUBEASGROUPS: "x, y" }).kubeAsGroups).toEqual(["x", "y"]);
  });

  test("NO_COLOR wins over --color, and bad modes are refused", () => {
    expect(resolveSettings({ color: "always" }, { HOME: "/h", NO_COLOR: "1" }).color).toBe("never");
    expect(resolveSettings({ color: "always" }, { HOME: "/h" }).color).toBe("always");
    expect(() => resolveSettings({ color: "sometimes" }, { HOME: "/h" })).toThrow(
      'invalid color mode "sometimes"',
    );
  });

  test("env lists Helm's variables in Helm's order", () => {
    const vars = envVars(resolveSettings({}, { HOME: "/h" }), "/bin/helm");
    expect(vars[0]).toEqual(["HELM_BIN", "/bin/helm"]);
    expect(vars.find(([k]) => k === "HELM_QPS")?.[1]).toBe("0.00");
    const keys = vars.map(([k]) => k);
    expect(keys).toEqual([...keys].sort());
  });
});
