#!/usr/bin/python3
"""FAISS's binary indexes as HammingIndex's peer (benchmarks only, never the product).

Started by `dotnet run -c Release --project bench/HammingIndex.Benchmarks -- peer-faiss`, which writes
the codes and queries, then sends one timing command per line on stdin and interleaves them with
its own cases. Each command answers one line: "<command> <seconds per query> <checksum>", where
the checksum (sum of result distances, and hit count for range searches) must equal HammingIndex's.

Usage: faiss_binary.py DATA_DIR BITS NHASH
  DATA_DIR/codes.u8, DATA_DIR/queries.u8: codes of BITS/8 bytes each, back to back.
Commands:
  knn K THREADS        IndexBinaryFlat.search, one query at a time
  knn-batch K THREADS  IndexBinaryFlat.search, all queries in one call
  range R THREADS      IndexBinaryFlat.range_search, one query at a time
  mh-range R THREADS   IndexBinaryMultiHash.range_search, one query at a time (nflip = R // NHASH: exact)
  mh-range-batch R THREADS  the same, all queries in one call
"""
import sys
import time

import faiss
import numpy as np


def checksum_knn(distances):
    return int(distances.astype(np.int64).sum())


def checksum_range(lims, distances):
    return int(distances.astype(np.int64).sum()) + int(lims[-1]) * 1_000_000


def main():
    data_dir, bits, nhash = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    width = bits // 8
    database = np.fromfile(f"{data_dir}/codes.u8", dtype=np.uint8).reshape(-1, width)
    queries = np.fromfile(f"{data_dir}/queries.u8", dtype=np.uint8).reshape(-1, width)
    flat = faiss.IndexBinaryFlat(bits)
    flat.add(database)
    start = time.perf_counter()
    multihash = faiss.IndexBinaryMultiHash(bits, nhash, bits // nhash)
    multihash.add(database)
    build = time.perf_counter() - start
    print(f"ready {database.shape[0]} {queries.shape[0]} {build:.3f}", flush=True)

    nq = queries.shape[0]
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        command, value, threads = parts[0], int(parts[1]), int(parts[2])
        faiss.omp_set_num_threads(threads)
        checksum = 0
        start = time.perf_counter()
        if command == "knn":
            for q in range(nq):
                distances, _ = flat.search(queries[q:q + 1], value)
                checksum += checksum_knn(distances)
        elif command == "knn-batch":
            distances, _ = flat.search(queries, value)
            checksum = checksum_knn(distances)
        elif command == "range":
            for q in range(nq):
                lims, distances, _ = flat.range_search(queries[q:q + 1], value + 1)  # FAISS keeps distance < radius
                checksum += checksum_range(lims, distances)
        elif command in ("mh-range", "mh-range-batch"):
            multihash.nflip = value // nhash
            if command == "mh-range":
                for q in range(nq):
                    lims, distances, _ = multihash.range_search(queries[q:q + 1], value + 1)
                    checksum += checksum_range(lims, distances)
            else:
                lims, distances, _ = multihash.range_search(queries, value + 1)
                checksum = checksum_range(lims, distances)
        else:
            print(f"{command} error unknown-command", flush=True)
            continue
        elapsed = time.perf_counter() - start
        print(f"{command} {elapsed / nq:.9f} {checksum}", flush=True)


if __name__ == "__main__":
    main()
