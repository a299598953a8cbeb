package dev.switchboard.skills.builtin;

import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A to-do list per conversation: {@code /todo add <item>}, {@code /todo list}, {@code /todo done <n>}.
 * {@code /todo add} without an item asks for it and takes the conversation's next message as the item. The list
 * lives in the session, so it survives restarts. Reached by meaning too (semantic routing on its examples):
 * "add milk to my list" and "remind me to call mom" add, anything else ("what's on my list?") lists.
 */
public final class TodoSkill implements Skill {
  static final int MAX_ITEMS = 100;
  static final int MAX_ITEM_LENGTH = 500;
  private static final String ITEMS = "items";
  private static final String PENDING = "pending";
  private static final String USAGE = "Use /todo add <item>, /todo list or /todo done <number>.";

  private static final SkillDescriptor DESCRIPTOR = SkillDescriptor.builder("todo")
      .description("Keeps a to-do list: /todo add <item>, /todo list, /todo done <n>")
      .version("1.0")
      .commands("todo")
      .examples("what's on my list", "show my to-do list", "what do I still have to do",
          "what's left on my todo list", "read me my list", "add milk to my list", "put eggs on my shopping list",
          "remind me to call mom", "remember to buy bread")
      .build();
  private static final java.util.regex.Pattern ADD_TO_LIST = java.util.regex.Pattern.compile(
      "^(?:please\\s+)?(?:add|put)\\s+(.+?)\\s+(?:to|on)\\s+(?:my|the)\\s+(?:[\\w-]+\\s+)?list\\W*$",
      java.util.regex.Pattern.CASE_INSENSITIVE);
  private static final java.util.regex.Pattern REMIND = java.util.regex.Pattern.compile(
      "^(?:please\\s+)?(?:remind me to|remember to)\\s+(.+?)\\W*$", java.util.regex.Pattern.CASE_INSENSITIVE);

  @Override
  public SkillDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public double match(Envelope envelope) {
    return 0; // only by command, or as the answer to its own question
  }

  @Override
  public SkillResponse handle(Envelope envelope, SkillContext context) {
    JsonObject state = context.state();
    Content.Command command = envelope.command();
    if (command == null) {
      return answerPending(envelope.text(), state);
    }
    state.remove(PENDING);
    String action = command.args().isEmpty() ? "" : command.args().get(0).toLowerCase(java.util.Locale.ROOT);
    String rest = command.argText().isEmpty() ? "" : command.argText().substring(command.args().get(0).length()).strip();
    return switch (action) {
      case "add" -> rest.isEmpty() ? askForItem(state) : add(state, rest);
      case "list", "" -> list(state);
      case "done" -> done(state, rest);
      default -> SkillResponse.reply("I don't know \"/todo " + action + "\". " + USAGE);
    };
  }

  /** Plain text: the item it asked for, else a request in words ("add milk to my list"), else the list. */
  private static SkillResponse answerPending(String text, JsonObject state) {
    if ("add".equals(state.remove(PENDING))) {
      return add(state, text.strip());
    }
    for (java.util.regex.Pattern request : new java.util.regex.Pattern[] {ADD_TO_LIST, REMIND}) {
      java.util.regex.Matcher m = request.matcher(text.strip());
      if (m.matches()) {
        return add(state, m.group(1));
      }
    }
    return list(state);
  }

  private static SkillResponse askForItem(JsonObject state) {
    state.put(PENDING, "add");
    return SkillResponse.ask("What should I add?");
  }

  private static SkillResponse add(JsonObject state, String item) {
    JsonArray items = items(state);
    if (item.isEmpty()) {
      return SkillResponse.reply("There was nothing to add. " + USAGE);
    }
    if (items.size() >= MAX_ITEMS) {
      return SkillResponse.reply("Your list is full (" + MAX_ITEMS + " items). Mark some done first.");
    }
    if (item.codePointCount(0, item.length()) > MAX_ITEM_LENGTH) {
      return SkillResponse.reply("That item is too long; keep it under " + MAX_ITEM_LENGTH + " characters.");
    }
    items.add(item);
    int n = items.size();
    return SkillResponse.reply("Added \"" + item + "\". You have " + n + (n == 1 ? " item." : " items."));
  }

  private static SkillResponse list(JsonObject state) {
    JsonArray items = items(state);
    if (items.isEmpty()) {
      return SkillResponse.reply("Your list is empty. Add something with /todo add <item>.");
    }
    StringBuilder text = new StringBuilder("Your list:");
    for (int i = 0; i < items.size(); i++) {
      text.append('\n').append(i + 1).append(". ").append(items.getString(i));
    }
    return SkillResponse.reply(text.toString());
  }

  private static SkillResponse done(JsonObject state, String which) {
    JsonArray items = items(state);
    int n;
    try {
      n = Integer.parseInt(which);
    } catch (NumberFormatException e) {
      return SkillResponse.reply("Tell me which item by its number, like /todo done 1.");
    }
    if (n < 1 || n > items.size()) {
      return SkillResponse.reply(items.isEmpty()
          ? "Your list is empty."
          : "There is no item " + n + "; your list has " + items.size() + (items.size() == 1 ? " item." : " items."));
    }
    String item = items.getString(n - 1);
    items.remove(n - 1);
    return SkillResponse.reply("Done: \"" + item + "\". " + items.size() + " left.");
  }

  private static JsonArray items(JsonObject state) {
    JsonArray items = state.getJsonArray(ITEMS);
    if (items == null) {
      items = new JsonArray();
      state.put(ITEMS, items);
    }
    return items;
  }
}
