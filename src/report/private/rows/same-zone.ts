/** The Service trafficDistribution values that keep a call in its caller's zone while an endpoint is there (PreferClose is the older name). */
export const SAME_ZONE_VALUES = ['PreferSameZone', 'PreferClose'];
