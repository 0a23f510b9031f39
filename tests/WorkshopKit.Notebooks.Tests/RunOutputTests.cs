using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>What `run` does to its output folder besides writing it: the clean-up at its start and the index at its end.</summary>
public class RunOutputTests
{
    private static string NewFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "wk-run-output-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void A_run_starts_by_deleting_the_temporary_files_a_killed_run_left_and_nothing_else()
    {
        string output = NewFolder();
        try
        {
            string notebooks = RunOutput.NotebookFolder(output), book = RunOutput.BookFolder(output);
            Directory.CreateDirectory(notebooks);
            Directory.CreateDirectory(book);
            // What a SIGKILL during AtomicFile.Write leaves: a 0-byte (or partial) .NAME.GUID.tmp beside the target.
            string leftNotebook = Path.Combine(notebooks, $".02-hardware-and-precision.ipynb.{Guid.NewGuid():N}.tmp");
            string leftPage = Path.Combine(book, $".index.html.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(leftNotebook, "");
            File.WriteAllText(leftPage, "<html");
            string[] keep =
            [
                Path.Combine(notebooks, "02-hardware-and-precision.ipynb"),
                Path.Combine(book, "index.html"),
                Path.Combine(book, ".index.html.not-a-guid.tmp"),   // other naming: not ours
                Path.Combine(book, "notes.tmp"),
                Path.Combine(output, $".stray.{Guid.NewGuid():N}.tmp"), // outside the two folders run writes
            ];
            foreach (string file in keep) File.WriteAllText(file, "keep");

            var deleted = RunOutput.DeleteLeftovers(output);

            Assert.Equal(new[] { leftNotebook, leftPage }.Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
            Assert.False(File.Exists(leftNotebook));
            Assert.False(File.Exists(leftPage));
            Assert.All(keep, file => Assert.True(File.Exists(file), file + " was deleted"));
            Assert.Empty(RunOutput.DeleteLeftovers(Path.Combine(output, "missing")));
        }
        finally { Directory.Delete(output, recursive: true); }
    }

    [Fact]
    public void After_a_filtered_run_the_index_lists_every_page_in_the_book_in_notebook_order()
    {
        string book = NewFolder();
        try
        {
            // Pages of an earlier full run: 00 ok, 01 failed, 04 ok; plus files that are not notebook pages.
            var okEarlier = new NotebookResult("/x/00-setup.ipynb", [new CellResult(1, "csharp", CellStatus.Succeeded, TimeSpan.FromSeconds(1), null)], TimeSpan.FromSeconds(3));
            var failedEarlier = new NotebookResult("/x/01-convolutional-layers.ipynb",
                [new CellResult(1, "markdown", CellStatus.Skipped, TimeSpan.Zero, null), new CellResult(2, "csharp", CellStatus.Failed, TimeSpan.Zero, "boom")], TimeSpan.FromSeconds(1));
            var document = NotebookRunner.Read(Path.Combine(RepoRoot.Path, "notebooks", "00-setup.ipynb"));
            File.WriteAllText(Path.Combine(book, "00-setup.html"), NotebookHtml.RenderPage(document, okEarlier, "00-setup.ipynb"));
            File.WriteAllText(Path.Combine(book, "01-convolutional-layers.html"), NotebookHtml.RenderPage(document, failedEarlier, "01"));
            File.WriteAllText(Path.Combine(book, "04-pooling-and-upsampling.html"), NotebookHtml.RenderPage(document, null, "04"));
            File.WriteAllText(Path.Combine(book, "index.html"), "old index");
            File.WriteAllText(Path.Combine(book, "notes.html"), "not a notebook page");

            // This run: `run 02 03`.
            var two = new NotebookResult("/x/02-hardware-and-precision.ipynb", [new CellResult(1, "csharp", CellStatus.Succeeded, TimeSpan.FromSeconds(2), null)], TimeSpan.FromSeconds(7.5));
            var three = new NotebookResult("/x/03-strides-and-padding.ipynb", [new CellResult(1, "csharp", CellStatus.Succeeded, TimeSpan.FromSeconds(2), null)], TimeSpan.FromSeconds(4));
            File.WriteAllText(Path.Combine(book, "02-hardware-and-precision.html"), "page of this run");
            File.WriteAllText(Path.Combine(book, "03-strides-and-padding.html"), "page of this run");

            string html = NotebookHtml.RenderIndex(book, [(three, "03-strides-and-padding.html"), (two, "02-hardware-and-precision.html")]);

            string[] links =
            [
                "<a href=\"00-setup.html\">00-setup.ipynb</a>",
                "<a href=\"01-convolutional-layers.html\">01-convolutional-layers.ipynb</a>",
                "<a href=\"02-hardware-and-precision.html\">02-hardware-and-precision.ipynb</a>",
                "<a href=\"03-strides-and-padding.html\">03-strides-and-padding.ipynb</a>",
                "<a href=\"04-pooling-and-upsampling.html\">04-pooling-and-upsampling.ipynb</a>",
            ];
            int[] at = [.. links.Select(l => html.IndexOf(l, StringComparison.Ordinal))];
            Assert.All(at, i => Assert.True(i >= 0, "a notebook is missing from the index:\n" + html));
            Assert.Equal(at.Order(), at); // notebook order, whatever order the run reported them in
            Assert.DoesNotContain("notes.html", html, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"index.html\"", html, StringComparison.Ordinal);
            Assert.Contains("7.5 s", html, StringComparison.Ordinal);  // this run's rows carry this run's times
            Assert.Contains("4.0 s", html, StringComparison.Ordinal);
            Assert.Contains("failed at cell 2 (earlier run,", html, StringComparison.Ordinal); // an earlier failure stays visible
            Assert.Contains("<td>ok (earlier run,", html, StringComparison.Ordinal);
            Assert.Contains("not recorded (earlier run,", html, StringComparison.Ordinal); // a page rendered without a result
        }
        finally { Directory.Delete(book, recursive: true); }
    }
}
