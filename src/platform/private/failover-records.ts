import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { RegionRole } from './disaster-recovery';
import {
  FAILOVER_RECORD_TTL_SECONDS, HEALTH_CHECK_FAILURE_THRESHOLD, HEALTH_CHECK_INTERVAL_SECONDS, regionalHostName,
} from '../../policy/dns-failover';
import { DnsFailoverOptions } from '../disaster-recovery-options';


/** Inputs of a region's failover records. */
export interface FailoverRecordsProps {
  readonly options: DnsFailoverOptions;
  readonly role: RegionRole;
  /** This platform's region: the set identifier and the leading label of its regional names. */
  readonly region: string;
}

/**
 * This region's half of each failover pair: a CNAME of the public name
 * (PRIMARY in the primary region, SECONDARY in the standby) to the region's
 * own name for the service, which ExternalDNS publishes for the service's
 * Ingress, and a Route 53 HTTPS health check of that regional name through
 * the service's load balancer. One health check per service: a service with
 * no healthy target in this region fails over alone, whatever shares its ALB.
 * Route 53 serves the SECONDARY while the PRIMARY's check fails, and the
 * PRIMARY again once it passes. With the Region switch plan's own health
 * check of the name (given once the plan exists), the record is judged by
 * both: the plan then decides where traffic goes whenever the endpoints allow.
 */
export class FailoverRecords extends Construct {
  /** The health check of each public name, by name. */
  public readonly healthChecks: { [name: string]: route53.HealthCheck } = {};

  constructor(scope: Construct, id: string, props: FailoverRecordsProps) {
    super(scope, id);
    const { options, region } = props;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: options.hostedZoneId, zoneName: options.zoneName });
    // The options were checked where they were given (requireDnsFailoverOptions).
    options.records.forEach((record, i) => {
      const name = record.name;
      const path = record.healthCheckPath ?? '/';
      const target = regionalHostName(region, name);
      const healthCheck = new route53.HealthCheck(this, `HealthCheck${i}`, {
        type: route53.HealthCheckType.HTTPS,
        fqdn: target,
        // SNI carries the regional name, so the ALB answers with the listener's certificate; Route 53 does not
        // validate it (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
        enableSNI: true,
        port: 443,
        resourcePath: path,
        requestInterval: Duration.seconds(HEALTH_CHECK_INTERVAL_SECONDS),
        failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
      });
      this.healthChecks[name] = healthCheck;
      const planCheckId = record.regionSwitchHealthCheckIds?.[region];
      // Healthy only while both are: the endpoint answers, and the Region switch plan has not moved the name away.
      const judgedBy = planCheckId === undefined ? healthCheck : new route53.HealthCheck(this, `PlanGatedHealthCheck${i}`, {
        type: route53.HealthCheckType.CALCULATED,
        childHealthChecks: [healthCheck, route53.HealthCheck.fromHealthCheckId(this, `PlanHealthCheck${i}`, planCheckId)],
        healthThreshold: 2,
      });
      new route53.CnameRecord(this, `Record${i}`, {
        zone,
        recordName: `${name}.`,
        domainName: target,
        ttl: Duration.seconds(FAILOVER_RECORD_TTL_SECONDS),
        setIdentifier: region,
        failover: props.role === 'primary' ? route53.Failover.PRIMARY : route53.Failover.SECONDARY,
        healthCheck: judgedBy,
      });
    });
  }
}
