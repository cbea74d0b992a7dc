// The overlapping area of two samples' distributions, Yang & Lerch's (2020) measure of how
// alike two sets of music are in one feature: ∫ min(p, q) dx, where p and q are Gaussian
// kernel density estimates (bandwidth h = 1.06 · σ · n^(−1/5), Silverman's rule; a sample
// with no spread gets 5 % of the pooled samples' σ). 1 for the same sample, near 0 for
// samples far apart. NaN values are left out; NaN when either sample is then empty. Two
// constant samples overlap 1 when equal and 0 otherwise. Integrated with the trapezoid
// rule over a grid covering both samples ± 6 bandwidths, at most a quarter of the smaller
// bandwidth apart. Pure function.
#pragma once

#include <span>

namespace prnn {

double kde_overlap(std::span<const double> a, std::span<const double> b);

}  // namespace prnn
