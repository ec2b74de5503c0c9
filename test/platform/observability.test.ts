import * as logs from 'aws-cdk-lib/aws-logs';
import { onlyResource, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

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

  test('every log group it writes exists ahead with the retention, and the add-on waits for them and the nodes', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    const byName = (name: string) => Object.entries(groups).find(([, g]: any) => g.Properties.LogGroupName === name);
    const addonId = Object.entries(template.findResources('AWS::EKS::Addon'))
      .find(([, r]: any) => r.Properties.AddonName === 'amazon-cloudwatch-observability')![0];
    const addon = template.toJSON().Resources[addonId];
    for (const name of ['performance', 'application', 'dataplane', 'host']) {
      const [id, group] = byName(`/aws/containerinsights/shop/${name}`) as [string, any];
      expect(group.Properties.RetentionInDays).toBe(30);
      expect(group.DeletionPolicy).toBe('Delete');
      expect(addon.DependsOn).toContain(id);
    }
    // Its pods need nodes: the NodePools and the add-ons that run once the system nodes exist.
    expect(addon.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/KarpenterCapacity/), expect.stringMatching(/coredns/)]));
  });

  test('the control-plane log group gets the retention, is kept, and exists before the cluster', () => {
    const [id, group] = Object.entries(template.findResources('AWS::Logs::LogGroup'))
      .find(([, g]: any) => g.Properties.LogGroupName === '/aws/eks/shop/cluster') as [string, any];
    expect(group.Properties.RetentionInDays).toBe(30);
    expect(group.DeletionPolicy).toBe('Retain');
    const cluster = Object.values(template.findResources('AWS::EKS::Cluster'))[0] as any;
    expect(cluster.DependsOn).toContain(id);
  });

  test('log retention comes from props', () => {
    const { template: kept } = synthPlatform({ observability: { logRetention: logs.RetentionDays.THREE_MONTHS } });
    const retentions = Object.values(kept.findResources('AWS::Logs::LogGroup'))
      .filter((g: any) => /^\/aws\/(eks|containerinsights)\//.test(g.Properties.LogGroupName)).map((g: any) => g.Properties.RetentionInDays);
    expect(retentions).toEqual([90, 90, 90, 90, 90]);
  });

  test('without Container Insights only the control-plane log group remains, and no node or pod alarm', () => {
    const { template: bare } = synthPlatform({ observability: { containerInsights: false } });
    expect(Object.values(bare.findResources('AWS::EKS::Addon')).map((a: any) => a.Properties.AddonName)).not.toContain('amazon-cloudwatch-observability');
    expect(JSON.stringify(bare.findResources('AWS::CloudWatch::Alarm'))).not.toContain('ContainerInsights');
    onlyResource(bare, 'AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/shop/cluster' });
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
