/** The service account token and CA every pod (and the managed scraper) uses to call the API server. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const API_SERVER = 'kubernetes.default.svc:443';

/** Calls through the API server, authenticated as the scraper's Kubernetes user. */
const viaApiServer = {
  scheme: 'https',
  bearer_token_file: `${SERVICE_ACCOUNT_DIR}/token`,
  tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt`, insecure_skip_verify: false },
};

/**
 * The Prometheus scrape configuration of the platform's managed scraper
 * (JSON, which is YAML): the API server, every node's kubelet and cAdvisor
 * through the API server's node proxy (the scraper cannot reach kubelets
 * directly), and every pod that opts in with the conventional
 * `prometheus.io/scrape`, `prometheus.io/port` and `prometheus.io/path`
 * annotations (Velero's chart annotates its pods so). 30 seconds is the
 * shortest interval a managed scraper accepts.
 */
export function prometheusScrapeConfiguration(): object {
  const nodeProxy = (metricsPath: string) => ({
    job_name: metricsPath === '' ? 'kubelet' : 'cadvisor',
    ...viaApiServer,
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
      { target_label: '__address__', replacement: API_SERVER },
      { source_labels: ['__meta_kubernetes_node_name'], regex: '(.+)', target_label: '__metrics_path__', replacement: `/api/v1/nodes/$1/proxy/metrics${metricsPath}` },
    ],
  });
  return {
    global: { scrape_interval: '30s', scrape_timeout: '10s' },
    scrape_configs: [
      {
        job_name: 'kubernetes-apiservers',
        ...viaApiServer,
        kubernetes_sd_configs: [{ role: 'endpoints' }],
        relabel_configs: [{
          source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
          action: 'keep',
          regex: 'default;kubernetes;https',
        }],
      },
      nodeProxy(''),
      nodeProxy('/cadvisor'),
      {
        job_name: 'kubernetes-pods',
        kubernetes_sd_configs: [{ role: 'pod' }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], action: 'replace', target_label: '__metrics_path__', regex: '(.+)' },
          {
            source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            action: 'replace',
            regex: '([^:]+)(?::\\d+)?;(\\d+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], target_label: 'app' },
        ],
      },
    ],
  };
}
