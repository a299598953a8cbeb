package dev.switchboard.skills.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaqFileTest {

  @Test
  void yamlTakesShortAndLongKeysAndSeveralPhrasings() throws IOException {
    List<FaqFile.Entry> entries = FaqFile.yaml("""
        - q: How do I reset my password?
          a: Settings, then Account, then Reset password.
        - question: [Where are you?, What is your address?]
          answer: 1 Example Street.
        """);
    assertEquals(List.of(
        new FaqFile.Entry(List.of("How do I reset my password?"), "Settings, then Account, then Reset password."),
        new FaqFile.Entry(List.of("Where are you?", "What is your address?"), "1 Example Street.")), entries);
  }

  @Test
  void markdownHeadingsAreQuestionsAndTheTextUnderThemAnswers() {
    List<FaqFile.Entry> entries = FaqFile.markdown("""
        Intro text that answers nothing.

        ## How do I reset my password?
        Settings, then Account,
        then Reset password.

        ## An empty one

        ### What are your opening hours?
        9 to 5.
        """);
    assertEquals(List.of(
        new FaqFile.Entry(List.of("How do I reset my password?"), "Settings, then Account,\nthen Reset password."),
        new FaqFile.Entry(List.of("What are your opening hours?"), "9 to 5.")), entries);
  }

  @Test
  void badYamlIsReportedWithAReason() {
    assertEquals("expected a list of {q: ..., a: ...}",
        assertThrows(IOException.class, () -> FaqFile.yaml("q: not a list")).getMessage());
    assertEquals("every entry needs a question (q) and an answer (a)",
        assertThrows(IOException.class, () -> FaqFile.yaml("- q: no answer")).getMessage());
  }
}
