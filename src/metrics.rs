//! Metrics as CloudWatch embedded-metric-format (EMF) lines: one JSON object per line on
//! standard output, which Lambda sends to the function's log group and CloudWatch turns
//! into metrics in the `Tifli` namespace, by `Function`. No client, no permission, no
//! call on the request's path. The local runner writes the same lines.
//!
//! Only counts, durations and route templates: never an id, a name or a text.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

pub const NAMESPACE: &str = "Tifli";
/// The one dimension of every metric.
pub const DIMENSION: &str = "Function";

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Writes metric lines from now on: called by each function's `main` and by the local
/// runner. Off otherwise, so that tests calling the handlers print nothing.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Milliseconds,
    Seconds,
}

impl Unit {
    fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Milliseconds => "Milliseconds",
            Unit::Seconds => "Seconds",
        }
    }
}

/// One EMF line: the metrics of one request, batch or run of `function`.
#[derive(Debug, Clone)]
pub struct Line {
    function: &'static str,
    metrics: Vec<(&'static str, Unit, Value)>,
    properties: Vec<(&'static str, Value)>,
}

impl Line {
    pub fn new(function: &'static str) -> Self {
        Self {
            function,
            metrics: Vec::new(),
            properties: Vec::new(),
        }
    }

    pub fn count(mut self, name: &'static str, n: usize) -> Self {
        self.metrics.push((name, Unit::Count, json!(n)));
        self
    }

    /// Several values of one metric (EMF takes up to 100 in an array); nothing when
    /// there are none, as CloudWatch would record a missing value as no datum anyway.
    pub fn values(mut self, name: &'static str, unit: Unit, values: &[f64]) -> Self {
        if !values.is_empty() {
            let kept = &values[..values.len().min(100)];
            self.metrics.push((name, unit, json!(kept)));
        }
        self
    }

    pub fn value(mut self, name: &'static str, unit: Unit, value: f64) -> Self {
        self.metrics.push((name, unit, json!(value)));
        self
    }

    /// A searchable field that is not a metric (a route template, a flag).
    pub fn property(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.properties.push((name, value.into()));
        self
    }

    /// The line's JSON object, stamped `at`.
    pub fn to_json(&self, at: OffsetDateTime) -> Value {
        let definitions: Vec<Value> = self
            .metrics
            .iter()
            .map(|(name, unit, _)| json!({"Name": name, "Unit": unit.as_str()}))
            .collect();
        let mut root = Map::new();
        root.insert(
            "_aws".into(),
            json!({
                "Timestamp": at.unix_timestamp_nanos() / 1_000_000,
                "CloudWatchMetrics": [{
                    "Namespace": NAMESPACE,
                    "Dimensions": [[DIMENSION]],
                    "Metrics": definitions,
                }],
            }),
        );
        root.insert(DIMENSION.into(), json!(self.function));
        for (name, value) in &self.properties {
            root.insert((*name).into(), value.clone());
        }
        for (name, _, value) in &self.metrics {
            root.insert((*name).into(), value.clone());
        }
        Value::Object(root)
    }

    /// Writes the line, when metrics are enabled.
    pub fn emit(&self) {
        if ENABLED.load(Ordering::Relaxed) {
            // One `println!` is one locked write: lines never interleave.
            println!("{}", self.to_json(OffsetDateTime::now_utc()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_declares_each_metric_it_carries_under_one_dimension() {
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let line = Line::new("fanout")
            .count("Published", 3)
            .values("CommitToPublish", Unit::Milliseconds, &[120.0, 80.5])
            .values("Nothing", Unit::Count, &[])
            .property("route", "/reports/{id}")
            .to_json(at);
        assert_eq!(
            line,
            json!({
                "_aws": {
                    "Timestamp": 1_800_000_000_000_i64,
                    "CloudWatchMetrics": [{
                        "Namespace": "Tifli",
                        "Dimensions": [["Function"]],
                        "Metrics": [
                            {"Name": "Published", "Unit": "Count"},
                            {"Name": "CommitToPublish", "Unit": "Milliseconds"},
                        ],
                    }],
                },
                "Function": "fanout",
                "route": "/reports/{id}",
                "Published": 3,
                "CommitToPublish": [120.0, 80.5],
            })
        );
    }
}
