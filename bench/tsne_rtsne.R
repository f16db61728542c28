# Rtsne (bhtsne) side of bench/tsne_compare.py: read a CSV of points (header,
# optional 'label' column), run Rtsne with the settings the driver passes,
# write the 2-D map as CSV (x,y) and print "seconds <t>" and "kl <final KL>"
# on stdout. Time is the Rtsne() call alone (CSV reading excluded).
# usage: Rscript tsne_rtsne.R IN.csv OUT.csv PERPLEXITY ITERS THREADS SEED
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(Rtsne))
d <- read.csv(args[1])
x <- as.matrix(d[, names(d) != "label"])
perp <- as.numeric(args[3]); iters <- as.integer(args[4])
threads <- as.integer(args[5]); set.seed(as.integer(args[6]))
t <- system.time(r <- Rtsne(x, dims = 2, perplexity = perp, theta = 0.5, pca = FALSE,
                            max_iter = iters, num_threads = threads,
                            check_duplicates = FALSE, verbose = FALSE))
write.csv(data.frame(x = r$Y[, 1], y = r$Y[, 2]), args[2], row.names = FALSE)
cat("seconds", t[["elapsed"]], "\n")
cat("kl", tail(r$itercosts, 1), "\n")
