import * as logs from 'aws-cdk-lib/aws-logs';
import { onlyResource, parseJoined, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';
import { Manifest, validateManifests } from '../helpers/schema';

describe('observability', () => {
  const { stack, template } = synthPlatform();

  test('the CloudWatch Observability add-on runs with enhanced Container Insights, container logs and its own Pod Identity role', () => {
    const addon = onlyResource(template, 'AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' });
    expect(JSON.parse(addon.Properties.ConfigurationValues)).toEqual({
      agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
      containerLogs: { enabled: true },
    });
    expect(addon.Properties.ResolveConflicts).toBe('OVERWRITE');
    expect(addon.Properties.PodIdentityAssociations).toEqual([
      { RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/ObservabilityAgentRole/), 'Arn'] }, ServiceAccount: 'cloudwatch-agent' },
    ]);
    const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => /ObservabilityAgentRole/.test(id))![1] as any;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/CloudWatchAgentServerPolicy');
  });

  /** The LogRetention custom resources, by log group name. */
  const retentions = (t: typeof template) => Object.fromEntries(Object.entries(t.findResources('Custom::LogRetention'))
    .map(([id, r]: any) => [r.Properties.LogGroupName, { id, ...r.Properties }]));

  test('every log group it writes gets the retention (created, or taken over when it exists), and the add-on waits for them and the nodes', () => {
    const addonId = Object.entries(template.findResources('AWS::EKS::Addon'))
      .find(([, r]: any) => r.Properties.AddonName === 'amazon-cloudwatch-observability')![0];
    const addon = template.toJSON().Resources[addonId];
    for (const name of ['performance', 'application', 'dataplane', 'host']) {
      const group = retentions(template)[`/aws/containerinsights/shop/${name}`];
      expect(group).toMatchObject({ RetentionInDays: 30, RemovalPolicy: 'destroy' });
      expect(addon.DependsOn).toContain(group.id);
    }
    // Its pods need nodes: the NodePools and the add-ons that run once the system nodes exist.
    expect(addon.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/KarpenterCapacity/), expect.stringMatching(/coredns/)]));
    // A CloudFormation LogGroup could not take over a group EKS or the agent already created.
    expect(Object.values(template.findResources('AWS::Logs::LogGroup')).map((g: any) => g.Properties.LogGroupName)
      .filter((name) => /^\/aws\/(eks|containerinsights)\//.test(name ?? ''))).toEqual([]);
  });

  test('the control-plane log group gets the retention, is kept, and has it before the cluster exists', () => {
    const group = retentions(template)['/aws/eks/shop/cluster'];
    expect(group).toMatchObject({ RetentionInDays: 30, RemovalPolicy: 'retain' });
    const cluster = Object.values(template.findResources('AWS::EKS::Cluster'))[0] as any;
    expect(cluster.DependsOn).toContain(group.id);
  });

  test('log retention comes from props', () => {
    const { template: kept } = synthPlatform({ observability: { logRetention: logs.RetentionDays.THREE_MONTHS } });
    expect(Object.values(retentions(kept)).map((r: any) => r.RetentionInDays)).toEqual([90, 90, 90, 90, 90]);
  });

  test('without Container Insights only the control-plane log group remains, and no node or pod alarm', () => {
    const { template: bare } = synthPlatform({ observability: { containerInsights: false } });
    expect(Object.values(bare.findResources('AWS::EKS::Addon')).map((a: any) => a.Properties.AddonName)).not.toContain('amazon-cloudwatch-observability');
    expect(JSON.stringify(bare.findResources('AWS::CloudWatch::Alarm'))).not.toContain('ContainerInsights');
    expect(Object.keys(retentions(bare))).toEqual(['/aws/eks/shop/cluster']);
  });

  test('no Prometheus unless asked for', () => {
    template.resourceCountIs('AWS::APS::Workspace', 0);
    template.resourceCountIs('AWS::APS::Scraper', 0);
  });

  describe('with Amazon Managed Service for Prometheus', () => {
    const { stack: promStack, template: prom, platform } = synthPlatform({ observability: { managedPrometheus: true } });
    const scraper = onlyResource(prom, 'AWS::APS::Scraper');
    const config = JSON.parse(Buffer.from(scraper.Properties.ScrapeConfiguration.ConfigurationBlob, 'base64').toString());

    test('a workspace, and a managed scraper in the cluster\'s private subnets writing to it', () => {
      const workspace = onlyResource(prom, 'AWS::APS::Workspace', { Alias: 'shop' });
      expect(workspace).toBeDefined();
      expect(platform.prometheusWorkspace).toBeDefined();
      expect(scraper.Properties.Source.EksConfiguration).toMatchObject({
        ClusterArn: { 'Fn::GetAtt': [expect.stringMatching(/Cluster/), 'Arn'] },
        SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/Cluster/), 'ClusterSecurityGroupId'] }],
      });
      expect(scraper.Properties.Source.EksConfiguration.SubnetIds).toHaveLength(3);
      expect(JSON.stringify(scraper.Properties.Source.EksConfiguration.SubnetIds)).toMatch(/privateSubnet/);
      expect(scraper.Properties.Destination.AmpConfiguration.WorkspaceArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Workspace/), 'Arn'] });
    });

    test('the scrape configuration reads the API server, kubelets and cAdvisor through the API server, and annotated pods', () => {
      expect(config.global.scrape_interval).toBe('30s');
      expect(config.scrape_configs.map((job: any) => job.job_name)).toEqual(['kubernetes-apiservers', 'kubelet', 'cadvisor', 'kubernetes-pods']);
      const cadvisor = config.scrape_configs[2];
      expect(cadvisor.relabel_configs).toContainEqual(expect.objectContaining({ target_label: '__address__', replacement: 'kubernetes.default.svc:443' }));
      expect(cadvisor.relabel_configs).toContainEqual(expect.objectContaining({ replacement: '/api/v1/nodes/$1/proxy/metrics/cadvisor' }));
      expect(config.scrape_configs[3].relabel_configs[0]).toEqual({
        source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true',
      });
      // Every job authenticates to the API server with the scraper's token, never insecurely.
      for (const job of config.scrape_configs.slice(0, 3)) {
        expect(job).toMatchObject({ scheme: 'https', tls_config: { insecure_skip_verify: false } });
      }
    });

    test('the scraper\'s Kubernetes user gets the read-only rights AMP documents, schema-valid', () => {
      const rbac = Object.values(prom.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
        .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m[0].kind === 'ClusterRole') as Manifest[];
      validateManifests(rbac);
      expect(rbac.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ClusterRole/aps-collector-role', 'ClusterRoleBinding/aps-collector-user-role-binding']);
      expect(rbac[0].rules.flatMap((r: any) => r.verbs)).not.toEqual(expect.arrayContaining(['create', 'update', 'patch', 'delete']));
      expect(rbac[1].subjects).toEqual([{ kind: 'User', name: 'aps-collector-user', apiGroup: 'rbac.authorization.k8s.io' }]);
    });

    test('the pod port rewrite keeps the pod address and takes the annotated port', () => {
      const rewrite = config.scrape_configs[3].relabel_configs.find((r: any) => r.target_label === '__address__');
      const joined = '10.0.12.7:8080;8085';
      expect(joined.replace(new RegExp(`^${rewrite.regex}$`), rewrite.replacement.replace(/\$(\d)/g, '$$$1'))).toBe('10.0.12.7:8085');
    });

    test('cdk-nag finds nothing unacknowledged', () => {
      expect(unacknowledgedNagFindings(promStack)).toEqual([]);
    });
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

test('cdk-nag stays clean without Container Insights', () => {
  expect(unacknowledgedNagFindings(synthPlatform({ observability: { containerInsights: false } }).stack)).toEqual([]);
});
