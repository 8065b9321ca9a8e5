/**
 * Prometheus metrics in the text exposition format, hand-written (no client library): counters and histograms
 * with labels, enough for HTTP and Fabric latency and errors by code.
 */

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Labels = Readonly<Record<string, string>>;

function labelText(labels: Labels, extra?: [string, string]): string {
    const pairs = Object.entries(labels);
    if (extra) {
        pairs.push(extra);
    }
    if (pairs.length === 0) {
        return '';
    }
    const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    return `{${pairs.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

class Counter {
    private readonly values = new Map<string, { labels: Labels; value: number }>();

    constructor(readonly name: string, readonly help: string) {}

    inc(labels: Labels, by = 1): void {
        const key = JSON.stringify(labels);
        const entry = this.values.get(key) ?? { labels, value: 0 };
        entry.value += by;
        this.values.set(key, entry);
    }

    render(): string[] {
        const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
        for (const { labels, value } of this.values.values()) {
            lines.push(`${this.name}${labelText(labels)} ${value}`);
        }
        return lines;
    }
}

class Histogram {
    private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

    constructor(readonly name: string, readonly help: string, private readonly buckets = LATENCY_BUCKETS) {}

    observe(labels: Labels, seconds: number): void {
        const key = JSON.stringify(labels);
        const entry = this.series.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
        this.buckets.forEach((bound, i) => {
            if (seconds <= bound) {
                entry.counts[i]!++;
            }
        });
        entry.sum += seconds;
        entry.count++;
        this.series.set(key, entry);
    }

    render(): string[] {
        const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
        for (const { labels, counts, sum, count } of this.series.values()) {
            this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText(labels, ['le', String(bound)])} ${counts[i]}`));
            lines.push(`${this.name}_bucket${labelText(labels, ['le', '+Inf'])} ${count}`);
            lines.push(`${this.name}_sum${labelText(labels)} ${sum}`);
            lines.push(`${this.name}_count${labelText(labels)} ${count}`);
        }
        return lines;
    }
}

/** A value read when scraped (queue depth, open streams). */
class Gauge {
    constructor(readonly name: string, readonly help: string, private readonly read: () => number) {}

    render(): string[] {
        return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`];
    }
}

/** The gateway's metrics. Route labels are path templates, never raw URLs, to keep cardinality bounded. */
export class Metrics {
    private readonly httpRequests = new Counter('tradedocs_http_requests_total', 'HTTP requests by method, route and status');
    private readonly httpDuration = new Histogram('tradedocs_http_request_duration_seconds', 'HTTP request latency by method, route and status');
    private readonly fabricDuration = new Histogram('tradedocs_fabric_call_duration_seconds', 'Ledger call latency by kind, function and outcome');
    private readonly errors = new Counter('tradedocs_errors_total', 'Error responses by problem code');
    private readonly gauges: Gauge[] = [];

    /** Registers a gauge read at every scrape. */
    gauge(name: string, help: string, read: () => number): void {
        this.gauges.push(new Gauge(name, help, read));
    }

    httpRequest(method: string, route: string, status: number, seconds: number): void {
        const labels = { method, route, status: String(status) };
        this.httpRequests.inc(labels);
        this.httpDuration.observe(labels, seconds);
    }

    fabricCall(kind: string, fn: string, outcome: string, seconds: number): void {
        this.fabricDuration.observe({ kind, fn, outcome }, seconds);
    }

    error(code: string): void {
        this.errors.inc({ code });
    }

    render(): string {
        return `${[this.httpRequests, this.httpDuration, this.fabricDuration, this.errors, ...this.gauges].flatMap((m) => m.render()).join('\n')}\n`;
    }
}
