// CGAL peer of the hull and Delaunay benches: times convex_hull_2 (CGAL's default, Akl-Toussaint + Bykat),
// ch_graham_andrew and Delaunay_triangulation_2 range insertion on float64 point files (x0 y0 x1 y1 ..., as the
// benches write them). Exact predicates, inexact constructions (the kernel CGAL recommends for these).
// Usage: cgal_peer <repeats> [--only=hull|--only=delaunay] <file.f64>...   Prints JSON: best and median ms of
// `repeats` calls after one warm-up (a part not run reports -1).
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/convex_hull_2.h>
#include <CGAL/ch_graham_andrew.h>
#include <CGAL/Delaunay_triangulation_2.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

typedef CGAL::Exact_predicates_inexact_constructions_kernel K;
typedef K::Point_2 Point;
typedef CGAL::Delaunay_triangulation_2<K> Delaunay;

template <class F> static void timeIt(int repeats, F f, double &best, double &median, std::size_t &size) {
  size = f();  // warm-up
  std::vector<double> ms;
  for (int r = 0; r < repeats; r++) {
    auto t0 = std::chrono::steady_clock::now();
    size = f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  best = ms.front();
  median = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
}

int main(int argc, char **argv) {
  if (argc < 3) { std::fprintf(stderr, "usage: cgal_peer <repeats> <file.f64>...\n"); return 2; }
  int repeats = std::atoi(argv[1]);
  int first = 2;
  bool hull = true, delaunay = true;
  if (std::string(argv[2]) == "--only=hull") { delaunay = false; first = 3; }
  else if (std::string(argv[2]) == "--only=delaunay") { hull = false; first = 3; }
  std::printf("{\"results\":[");
  for (int a = first; a < argc; a++) {
    std::ifstream in2(argv[a], std::ios::binary | std::ios::ate);
    std::size_t bytes = in2.tellg();
    in2.seekg(0);
    std::vector<double> v(bytes / 8);
    in2.read(reinterpret_cast<char *>(v.data()), bytes);
    std::vector<Point> pts;
    pts.reserve(v.size() / 2);
    for (std::size_t i = 0; i + 1 < v.size(); i += 2) pts.emplace_back(v[i], v[i + 1]);
    std::vector<Point> out;
    out.reserve(pts.size());
    double b1 = -1, m1 = -1, b2 = -1, m2 = -1, b3 = -1, m3 = -1;
    std::size_t h1 = 0, h2 = 0, t3 = 0;
    if (hull) {
      timeIt(repeats, [&] { out.clear(); CGAL::convex_hull_2(pts.begin(), pts.end(), std::back_inserter(out)); return out.size(); }, b1, m1, h1);
      timeIt(repeats, [&] { out.clear(); CGAL::ch_graham_andrew(pts.begin(), pts.end(), std::back_inserter(out)); return out.size(); }, b2, m2, h2);
    }
    if (delaunay) timeIt(repeats, [&] { Delaunay dt; dt.insert(pts.begin(), pts.end()); return dt.number_of_faces(); }, b3, m3, t3);
    std::printf("%s{\"file\":\"%s\",\"n\":%zu,\"convex_hull_2\":{\"best\":%.6f,\"median\":%.6f,\"h\":%zu},"
                "\"ch_graham_andrew\":{\"best\":%.6f,\"median\":%.6f,\"h\":%zu},"
                "\"delaunay\":{\"best\":%.6f,\"median\":%.6f,\"triangles\":%zu}}",
                a > first ? "," : "", argv[a], pts.size(), b1, m1, h1, b2, m2, h2, b3, m3, t3);
  }
  std::printf("]}\n");
  return 0;
}
